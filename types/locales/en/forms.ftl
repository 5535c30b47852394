# What the widget shows in its forms, written by the server in the visitor's language (lead_form.rs).
form-picker = What do you need help with?
form-field-name = Name
form-field-email = Email
form-field-phone = Phone
form-field-message = Message
form-offline-away = We are away right now.
form-offline-back = We are back { $weekday ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
} at { $time } ({ $zone }).
form-offline-reply = We usually reply { $reply_time }.
form-offline-leave = Leave a message and where to answer you:
