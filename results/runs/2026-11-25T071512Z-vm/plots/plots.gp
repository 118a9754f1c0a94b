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
     "threads-repeat-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-repeat-order-0.svg"
replot
unset output

reset
set title "repeat (order 9): ns per operation vs threads" noenhanced
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
set output "threads-repeat-order-9.png"
plot "threads-repeat-order-9.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-repeat-order-9.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-repeat-order-9.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-repeat-order-9.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-repeat-order-9.svg"
replot
unset output

reset
set title "bulk (order 0): ns per operation vs threads" noenhanced
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
set output "threads-bulk-order-0.png"
plot "threads-bulk-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-bulk-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-bulk-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-bulk-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-bulk-order-0.svg"
replot
unset output

reset
set title "per-order: ns per operation vs order" noenhanced
set xlabel "order"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [-0.5:10.5]
set xtics ("0" 0, "1" 1, "2" 2, "3" 3, "4" 4, "5" 5, "6" 6, "7" 7, "8" 8, "9" 9, "10" 10)
set yrange [0:*]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "order-per-order.png"
plot "order-per-order.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "order-per-order.svg"
replot
unset output

reset
set title "buddy: ns per operation vs order" noenhanced
set xlabel "order"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [-0.5:10.5]
set xtics ("0" 0, "1" 1, "2" 2, "3" 3, "4" 4, "5" 5, "6" 6, "7" 7, "8" 8, "9" 9, "10" 10)
set yrange [0:*]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "order-buddy.png"
plot "order-buddy.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "order-buddy.svg"
replot
unset output
