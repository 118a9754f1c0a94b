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
set title "repeat (order 9): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-repeat-order-9.png"
plot "threads-repeat-order-9.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-repeat-order-9.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-repeat-order-9.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-repeat-order-9.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-repeat-order-9.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-repeat-order-9.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-repeat-order-9.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-repeat-order-9.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-repeat-order-9.svg"
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
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-bulk-order-0.png"
plot "threads-bulk-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-bulk-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-bulk-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-bulk-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-bulk-order-0.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-bulk-order-0.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-bulk-order-0.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-bulk-order-0.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-bulk-order-0.svg"
replot
unset output

reset
set title "bulk (order 9): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-bulk-order-9.png"
plot "threads-bulk-order-9.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-bulk-order-9.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-bulk-order-9.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-bulk-order-9.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-bulk-order-9.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-bulk-order-9.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-bulk-order-9.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-bulk-order-9.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-bulk-order-9.svg"
replot
unset output

reset
set title "rand (order 0): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-rand-order-0.png"
plot "threads-rand-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-rand-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-rand-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-rand-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-rand-order-0.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-rand-order-0.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-rand-order-0.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-rand-order-0.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-rand-order-0.svg"
replot
unset output

reset
set title "rand (order 9): ns per operation vs threads" noenhanced
set xlabel "threads"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [0.7:2.3]
set xtics ("1" 1, "2" 2)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "threads-rand-order-9.png"
plot "threads-rand-order-9.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-rand-order-9.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-rand-order-9.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-rand-order-9.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock", \
     "threads-rand-order-9.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 dt 2 title "glibc", \
     "threads-rand-order-9.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 dt 2 title "jemalloc", \
     "threads-rand-order-9.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 dt 2 title "mimalloc", \
     "threads-rand-order-9.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 dt 2 title "tcmalloc"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-rand-order-9.svg"
replot
unset output

reset
set title "zonelist-churn (rebuild_us 1000): ns per operation vs threads" noenhanced
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
set output "threads-zonelist-churn-rebuild-us-1000.png"
plot "threads-zonelist-churn-rebuild-us-1000.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-zonelist-churn-rebuild-us-1000.svg"
replot
unset output

reset
set title "zonelist-churn (rebuild_us 0): ns per operation vs threads" noenhanced
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
set output "threads-zonelist-churn-rebuild-us-0.png"
plot "threads-zonelist-churn-rebuild-us-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-zonelist-churn-rebuild-us-0.svg"
replot
unset output

reset
set title "pressure (order 0): ns per operation vs threads" noenhanced
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
set output "threads-pressure-order-0.png"
plot "threads-pressure-order-0.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner", \
     "threads-pressure-order-0.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-trylock", \
     "threads-pressure-order-0.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-6.x-owner", \
     "threads-pressure-order-0.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-6.x-trylock"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "threads-pressure-order-0.svg"
replot
unset output

reset
set title "vcpu: ns per operation vs cpus" noenhanced
set xlabel "cpus"
set ylabel "ns per alloc+free (real time / op)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set logscale x 2
set xrange [0.8:320]
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64, "128" 128, "256" 256)
set yrange [0:*]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "cpus-vcpu.png"
plot "cpus-vcpu.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12", \
     "cpus-vcpu.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-6.x"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "cpus-vcpu.svg"
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

reset
set title "pcp hit rate vs CPUs" noenhanced
set xlabel "CPUs"
set ylabel "pcp hit rate"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set logscale x 2
set xrange [0.8:320]
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64, "128" 128, "256" 256)
set yrange [0:1.05]
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "vcpu-pcp-hit-rate.png"
plot "vcpu-pcp-hit-rate.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12", \
     "vcpu-pcp-hit-rate.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-6.x"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "vcpu-pcp-hit-rate.svg"
replot
unset output

reset
set title "stranded pages vs CPUs" noenhanced
set xlabel "CPUs"
set ylabel "stranded pages (on pcp lists of idle CPUs)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set logscale x 2
set xrange [0.8:320]
set xtics ("1" 1, "2" 2, "4" 4, "8" 8, "16" 16, "32" 32, "64" 64, "128" 128, "256" 256)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "vcpu-stranded-pages.png"
plot "vcpu-stranded-pages.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12", \
     "vcpu-stranded-pages.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-6.x"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "vcpu-stranded-pages.svg"
replot
unset output

reset
set title "pressure: slow-path latency percentiles" noenhanced
set xlabel "percentile"
set ylabel "ns (log scale)"
set grid
set key below horizontal height 1.5 noenhanced
set border 3
set tics nomirror
set xrange [-0.3:3.3]
set xtics ("p50" 0, "p99" 1, "p99.9" 2, "max" 3)
set logscale y
set terminal pngcairo size 960,560 noenhanced font "sans,10"
set output "slowpath-pressure.png"
plot "slowpath-pressure.dat" index 0 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 1 title "model-linux-4.12-owner order 0", \
     "slowpath-pressure.dat" index 1 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 2 title "model-linux-4.12-owner order 0 2 thr", \
     "slowpath-pressure.dat" index 2 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 3 title "model-linux-4.12-trylock order 0", \
     "slowpath-pressure.dat" index 3 using 1:2 with linespoints lw 2 pt 8 ps 1 lc 4 title "model-linux-4.12-trylock order 0 2 thr", \
     "slowpath-pressure.dat" index 4 using 1:2 with linespoints lw 2 pt 9 ps 1 lc 5 title "model-linux-6.x-owner order 0", \
     "slowpath-pressure.dat" index 5 using 1:2 with linespoints lw 2 pt 5 ps 1 lc 6 title "model-linux-6.x-owner order 0 2 thr", \
     "slowpath-pressure.dat" index 6 using 1:2 with linespoints lw 2 pt 6 ps 1 lc 7 title "model-linux-6.x-trylock order 0", \
     "slowpath-pressure.dat" index 7 using 1:2 with linespoints lw 2 pt 7 ps 1 lc 8 title "model-linux-6.x-trylock order 0 2 thr"
set terminal svg size 960,560 noenhanced dynamic font "sans,10"
set output "slowpath-pressure.svg"
replot
unset output
