# Sentences the server says about attachments (ids err-…): see types/src/phrase.rs.
err-attachments-program = No se aceptan programas ni scripts.
err-attachments-markup = No se aceptan archivos HTML, SVG ni XML: un navegador podría ejecutar lo que contienen.
err-attachments-empty = El archivo está vacío.
err-attachments-recording-empty = La grabación está vacía; graba un momento más.
err-attachments-type = No se aceptan archivos de tipo { $mime }; envía imágenes, vídeo, audio, PDF, documentos de oficina, archivos comprimidos o texto sin formato.
# $kind: image, video, audio o document (lo que resultó ser el contenido).
err-attachments-name-mismatch = El archivo se llama .{ $ext } pero su contenido es { $kind ->
    [image] una imagen
    [video] un vídeo
    [audio] audio
   *[document] un documento
} ({ $mime }): su nombre debe corresponder a lo que es.
err-attachments-voice = Un mensaje de voz debe ser una grabación de sonido.
err-attachments-text-name = El archivo se llama .{ $ext } pero su contenido es texto sin formato: solo los nombres .txt, .csv, .md, .json y similares pueden contener texto.
err-attachments-unknown-type = Parley no ha podido saber por su contenido qué es este archivo; envía imágenes, vídeo, audio, PDF, documentos de oficina, archivos comprimidos o texto sin formato.
err-attachments-not-text = El archivo se llama .{ $ext } pero su contenido no es texto sin formato: su nombre debe corresponder a lo que es.
err-attachments-image-damaged = La imagen está dañada: no se puede leer su tamaño.
err-attachments-image-pixels = La imagen mide { $width }×{ $height } ({ $megapixels } megapíxeles); las imágenes pueden tener como máximo { $max } megapíxeles.
err-attachments-name-empty = El archivo necesita un nombre.
err-attachments-name-long = Los nombres de archivo pueden tener como máximo { $max } caracteres.
# $kind: image, video, audio o document; $max: un tamaño como "2 GB".
err-attachments-limit-range = { $kind ->
    [image] Las imágenes necesitan
    [video] Los vídeos necesitan
    [audio] Los archivos de audio necesitan
   *[document] Los documentos necesitan
} un límite de entre 1 byte y { $max }.
# $kind: image, video, audio o document; $limit: un tamaño como "25 MB".
err-attachments-kind-too-large = { $kind ->
    [image] Las imágenes pueden ocupar
    [video] Los vídeos pueden ocupar
    [audio] Los archivos de audio pueden ocupar
   *[document] Los documentos pueden ocupar
} como máximo { $limit }.
err-attachments-too-large = Los archivos pueden ocupar como máximo { $limit }.
err-attachments-quick-reply-full = Una respuesta rápida puede conservar como máximo { $max } archivos.
err-attachments-interrupted = La subida se interrumpió; vuelve a enviar el archivo.
err-attachments-message-full = Un mensaje puede llevar como máximo { $max } archivos.
err-attachments-twice = El mismo archivo está adjunto dos veces.
err-attachments-unknown = Un archivo adjunto es desconocido o ya se envió; vuelve a adjuntarlo.
err-attachments-name-utf8 = El nombre del archivo no es UTF-8 válido.
# $header: el nombre de la cabecera HTTP (x-parley-filename).
err-attachments-name-header = Indica el nombre del archivo en la cabecera { $header }.
err-attachments-target = Indica la conversación o la respuesta rápida a la que va el archivo.
