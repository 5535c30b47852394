# What the widget shows in its forms, written by the server in the visitor's language (lead_form.rs).
form-picker = ¿Con qué necesitas ayuda?
form-field-name = Nombre
form-field-email = Correo electrónico
form-field-phone = Teléfono
form-field-message = Mensaje
form-offline-away = Ahora mismo no estamos.
form-offline-back = Volvemos el { $weekday ->
    [mon] lunes
    [tue] martes
    [wed] miércoles
    [thu] jueves
    [fri] viernes
    [sat] sábado
   *[sun] domingo
} a las { $time } ({ $zone }).
form-offline-reply = Solemos responder { $reply_time }.
form-offline-leave = Deja un mensaje y dónde responderte:
