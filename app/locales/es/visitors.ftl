# visitors

# Quién está ahora mismo en el sitio del cliente.
visitors-title = Visitantes
visitors-search = Buscar visitantes
visitors-search-placeholder = Nombre o página
visitors-conversation = Conversación
visitors-everyone = Todos
visitors-chatting = En una conversación
visitors-not-chatting = Sin conversación
visitors-loading = Cargando…
visitors-online = { $count ->
    [0] Ahora mismo no hay nadie en tu sitio.
    [one] { $count } visitante en línea
   *[other] { $count } visitantes en línea
}
visitors-visitor = Visitante
visitors-page = Página
visitors-from = Procedencia
visitors-pages = Páginas
visitors-since = Desde
visitors-browser = Navegador
visitors-language = Idioma
# "Firefox en Linux".
visitors-device = { $browser } en { $os }

# Escribir primero a un visitante.
visitors-message = Escribir
visitors-write-to = Escribir a { $name }
visitors-first-message = Primer mensaje
visitors-send = Enviar
visitors-message-sent = Mensaje enviado: la conversación es tuya.
