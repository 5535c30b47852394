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

# What an error says when the server sent nothing more specific (by its code).
error-invalid = La solicitud no es válida.
error-unauthorized = Inicia sesión.
error-forbidden = No tienes permiso para hacer esto.
error-not-found = No encontrado.
error-conflict = Esto choca con lo que ya está guardado.
error-too-large = La solicitud es demasiado grande.
error-too-many = Demasiadas solicitudes. Espera un momento y vuelve a intentarlo.
error-internal = Algo falló por nuestra parte. Vuelve a intentarlo.
error-unavailable = Parley no está disponible en este momento. Vuelve a intentarlo en breve.
error-request = No se pudo conectar con Parley.
