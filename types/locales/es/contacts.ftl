# Sentences the server says about contacts (ids err-…): see types/src/phrase.rs.
err-contacts-search-long = Busca como máximo { $max } caracteres.
err-contacts-search-control = Una búsqueda no puede contener caracteres de control.
err-contacts-filter-fields-max = Filtra por como máximo { $max } campos a la vez.
err-contacts-no-field = No hay ningún campo de contacto "{ $key }".
err-contacts-filter-value-long = { $label }: compara con como máximo { $max } caracteres, sin caracteres de control.
err-contacts-filter-value-missing = { $label }: indica un valor con el que comparar.
err-contacts-filter-whole = { $label } se compara entero, no se busca dentro.
# $kind: text, number, boolean, date, select o url.
err-contacts-filter-compare = Solo los números y las fechas se comparan como mayor o menor ({ $label } es { $kind ->
    [text] un texto
    [number] un número
    [boolean] un sí/no
    [date] una fecha
    [select] una opción
    [url] un enlace
   *[other] { $kind }
}).
err-contacts-filter-text = { $label }: un texto tiene como máximo { $max } caracteres.
err-contacts-filter-number = { $label }: un número se escribe como 42 o 3.5.
err-contacts-filter-boolean = { $label }: un valor sí/no es true o false.
err-contacts-filter-date = { $label }: una fecha se escribe AAAA-MM-DD, p. ej. 2026-12-05.
err-contacts-filter-select = { $label }: elige una de estas opciones: { $options }.
err-contacts-filter-url = { $label }: un enlace empieza por https:// (o http://).
err-contacts-value-text = Un texto tiene como máximo { $max } caracteres.
err-contacts-value-number = Un número se escribe como 42 o 3.5.
err-contacts-value-boolean = Un valor sí/no es true o false.
err-contacts-value-date = Una fecha se escribe AAAA-MM-DD, p. ej. 2026-12-05.
err-contacts-value-select = Elige una de estas opciones: { $options }.
err-contacts-value-url = Un enlace empieza por https:// (o http://).
err-contacts-widget-readonly = "{ $key }" no se puede rellenar desde el widget.
err-contacts-field-key = Una clave tiene de 1 a 40 letras minúsculas, dígitos o _, y empieza por una letra (p. ej. plan_name).
err-contacts-field-key-reserved = "{ $key }" es un campo que ya piden los formularios del chat; elige otra clave.
err-contacts-field-label = Una etiqueta tiene de 1 a 60 caracteres.
err-contacts-field-options = Un campo de tipo opción necesita de 1 a 100 opciones, una por línea, cada una de hasta 100 caracteres.
err-contacts-field-options-repeated = Cada opción aparece una sola vez.
err-contacts-field-key-taken = Ya existe un campo con la clave "{ $key }".
err-contacts-fields-max = Un espacio de trabajo tiene como máximo { $max } campos de contacto.
# $kind: text, number, boolean, date, select o url.
err-contacts-field-kind-kept = { $label } tiene { $count ->
    [one] 1 valor
   *[other] { $count } valores
}: su tipo sigue siendo { $kind ->
    [text] texto
    [number] número
    [boolean] sí/no
    [date] fecha
    [select] opción
    [url] enlace
   *[other] { $kind }
} (elimina el campo para empezar de nuevo).
err-contacts-field-option-used = La opción "{ $option }" está en uso: no se puede quitar.
err-contacts-note = Una nota tiene de 1 a { $max } caracteres.
err-contacts-save-needs-address = Indica un correo electrónico o un número de teléfono para guardar el contacto.
err-contacts-user-id = Un id de usuario tiene de 1 a { $max } caracteres.
err-contacts-user-hash-mismatch = El hash de usuario no coincide con este id de usuario.
err-contacts-user-hash-required = Este espacio de trabajo exige un hash de usuario con setUser.
err-contacts-attribute-value = Un valor es un texto, un número o true/false.
err-contacts-avatar = Un avatar es un enlace https:// a una imagen.
err-contacts-labels-max = Pon como máximo 50 etiquetas a la vez.
err-contacts-no-label = No hay ninguna etiqueta "{ $name }".
err-contacts-action-name = El nombre de una acción tiene de 1 a { $max } caracteres.
err-contacts-action-data = Los datos de una acción son un objeto ({"{"}..{"}"}).
err-contacts-action-data-size = Los datos de una acción ocupan como máximo { $max } bytes en JSON.
err-contacts-merge-same = Elige dos contactos distintos para fusionarlos.
err-contacts-merge-verified = Los dos contactos son usuarios verificados de tu sitio con ids distintos: son personas diferentes.
err-contacts-segment-name = Un segmento necesita un nombre de 1 a 60 caracteres.
err-contacts-segment-taken = Ya existe un segmento llamado "{ $name }".
err-contacts-bulk-count = Elige de 1 a { $max } contactos.
err-contacts-page-address = Una página es una dirección http(s) de como máximo 2000 caracteres.
err-contacts-name = Un nombre tiene de 1 a { $max } caracteres.
err-contacts-email = Una dirección de correo se escribe nombre@ejemplo.com.
err-contacts-phone = Un número de teléfono se escribe en formato internacional con su prefijo de país, p. ej. +49 30 123456.
err-contacts-timezone = "{ $value }" no es una zona horaria; escríbela como Región/Ciudad, p. ej. Europe/Berlin.
err-contacts-language = "{ $value }" no es una etiqueta de idioma; escríbela como en, de-AT o pt-BR.
