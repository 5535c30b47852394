# Palabras que comparten todas las partes: fechas y recuentos.

month-short-1 = ene
month-short-2 = feb
month-short-3 = mar
month-short-4 = abr
month-short-5 = may
month-short-6 = jun
month-short-7 = jul
month-short-8 = ago
month-short-9 = sept
month-short-10 = oct
month-short-11 = nov
month-short-12 = dic
# Un día: "5 dic 2026".
date-medium = { $day } { $month } { $year }
# Un día y una hora: "5 dic 2026, 14:03".
date-time = { $date }, { $time }
