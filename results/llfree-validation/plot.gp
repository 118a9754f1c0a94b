# gnuplot plot.gp (run in this folder): plot.png and plot.svg
set logscale xy
set xlabel 'CPUs (threads)'
set ylabel 'ns per operation'
set key outside right
set xtics (1, 2, 4, 8, 16, 26)
set xrange [0.9:30]
set grid
set title 'Linux 6.0 (LLFree, Xeon Gold 5320) and the simulator (linux-6.0, trylock)'
set terminal pngcairo size 1100,600
set output 'plot.png'
plot 'plot.dat' index 0 using 1:2 with linespoints lc 1 dt 1 pt 7 title 'kernel: bulk order 0, alloc', \
     'plot.dat' index 0 using 1:3 with linespoints lc 1 dt 2 pt 6 title 'model: bulk order 0, alloc', \
     'plot.dat' index 1 using 1:2 with linespoints lc 2 dt 1 pt 7 title 'kernel: bulk order 0, free', \
     'plot.dat' index 1 using 1:3 with linespoints lc 2 dt 2 pt 6 title 'model: bulk order 0, free', \
     'plot.dat' index 2 using 1:2 with linespoints lc 3 dt 1 pt 7 title 'kernel: bulk order 9, alloc', \
     'plot.dat' index 2 using 1:3 with linespoints lc 3 dt 2 pt 6 title 'model: bulk order 9, alloc', \
     'plot.dat' index 3 using 1:2 with linespoints lc 4 dt 1 pt 7 title 'kernel: rand order 0, free', \
     'plot.dat' index 3 using 1:3 with linespoints lc 4 dt 2 pt 6 title 'model: rand order 0, free', \
     'plot.dat' index 4 using 1:2 with linespoints lc 5 dt 1 pt 7 title 'kernel: repeat order 0, pair', \
     'plot.dat' index 4 using 1:3 with linespoints lc 5 dt 2 pt 6 title 'model: repeat order 0, pair'
set terminal svg size 1100,600
set output 'plot.svg'
plot 'plot.dat' index 0 using 1:2 with linespoints lc 1 dt 1 pt 7 title 'kernel: bulk order 0, alloc', \
     'plot.dat' index 0 using 1:3 with linespoints lc 1 dt 2 pt 6 title 'model: bulk order 0, alloc', \
     'plot.dat' index 1 using 1:2 with linespoints lc 2 dt 1 pt 7 title 'kernel: bulk order 0, free', \
     'plot.dat' index 1 using 1:3 with linespoints lc 2 dt 2 pt 6 title 'model: bulk order 0, free', \
     'plot.dat' index 2 using 1:2 with linespoints lc 3 dt 1 pt 7 title 'kernel: bulk order 9, alloc', \
     'plot.dat' index 2 using 1:3 with linespoints lc 3 dt 2 pt 6 title 'model: bulk order 9, alloc', \
     'plot.dat' index 3 using 1:2 with linespoints lc 4 dt 1 pt 7 title 'kernel: rand order 0, free', \
     'plot.dat' index 3 using 1:3 with linespoints lc 4 dt 2 pt 6 title 'model: rand order 0, free', \
     'plot.dat' index 4 using 1:2 with linespoints lc 5 dt 1 pt 7 title 'kernel: repeat order 0, pair', \
     'plot.dat' index 4 using 1:3 with linespoints lc 5 dt 2 pt 6 title 'model: repeat order 0, pair'
