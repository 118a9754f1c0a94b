# gnuplot script written by scripts/lib/plot.py; run it inside this folder

reset
set title "repeat (order 0): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set yrange [0:*]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-repeat-order-0.png"
plot "threads-repeat-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-repeat-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-repeat-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-repeat-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-repeat-order-0.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-repeat-order-0.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-repeat-order-0.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-repeat-order-0.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-repeat-order-0.svg"
replot
unset output

reset
set title "repeat-nodemask (order 0): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set yrange [0:*]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-repeat-nodemask-order-0.png"
plot "threads-repeat-nodemask-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-repeat-nodemask-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-repeat-nodemask-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-repeat-nodemask-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-repeat-nodemask-order-0.svg"
replot
unset output
