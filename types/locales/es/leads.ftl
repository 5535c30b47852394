# Sentences the server says about lead forms, imports and exports (ids err-…): see types/src/phrase.rs.
err-leads-intro-length = La introducción tiene como máximo { $max } caracteres en una sola línea.
err-leads-consent-length = La frase de consentimiento tiene como máximo { $max } caracteres en una sola línea.
err-leads-consent-sentence = Escribe la frase a la que corresponde el enlace.
err-leads-capture-wait = Espera entre { $min } y { $max } segundos.
err-leads-asks-nothing = El formulario no pregunta nada: pide primero un campo o un consentimiento.
err-leads-no-prechat = Este chat no tiene formulario previo.
err-leads-no-email-capture = Este chat no pide un correo.
err-leads-not-asked = Este formulario no pide "{ $key }".
err-leads-required = Rellena este campo.
err-leads-choose-topic = Elige uno de los temas de la lista.
err-leads-message-length = Un mensaje tiene como máximo { $max } caracteres.
err-leads-consent-needed = Acepta esto para empezar el chat.
err-leads-form-first = Rellena el formulario antes de tu primer mensaje.
err-import-quote-not-closed = Una celda entre comillas no está cerrada (a partir de la línea { $line }).
err-import-no-such-field = "{ $column }" no puede ir a "{ $field }": no existe ese campo.
err-import-match-column = Las filas se emparejan por { $column }: el archivo necesita esa columna.
err-import-cell-count = { $cell_count ->
    [one] 1 celda
   *[other] { $cell_count } celdas
} donde el encabezado tiene { $column_count }.
err-import-kind = Un tipo es guest, lead o customer.
err-import-user-id-length = Un id de usuario tiene como máximo { $max } caracteres.
err-import-no-label = No hay ninguna etiqueta "{ $name }".
err-import-match-empty = Vacía: las filas se emparejan por esta columna.
err-import-empty = El archivo está vacío: necesita una línea de encabezado y filas.
err-import-too-many-rows = Una importación admite como máximo { $max } filas; divide el archivo.
err-import-options = No se entienden las opciones de la importación.
err-import-match-on = Las filas se emparejan por email o user_id, no por "{ $value }".
err-import-file-too-large = Un archivo de importación admite como máximo { $megabytes } MB; divide el archivo.
err-import-not-utf8 = El archivo no es texto UTF-8; guárdalo como CSV UTF-8.
err-export-filter = No se entiende el filtro de la exportación.
err-export-no-such-action = No existe esa acción.
