# The widget's words in English (built in; see widget/src/i18n.rs).

open-chat = Open chat
launcher = Chat
chat = Chat
close-chat = Close chat
connecting = Connecting…
reconnecting = Reconnecting…
not-allowed = Chat is not available on this website.
not-found = This chat is not available.
not-connected = Not connected yet; try again in a moment.
messages = Messages
new-message = New message
message = Message
write-message = Write a message…
send = Send
seen = Seen
typing = typing…
unread = { $count ->
    [one] { $count } unread message
   *[other] { $count } unread messages
}
attach = Attach a file
uploading = Uploading
file-failed = The file could not be sent; try again.
too-long = This message is too long (at most 10,000 characters).
record = Record a voice message
record-stop = Stop and send the voice message
recording = Recording { $time }
no-microphone = The microphone is not available (allow it for this site to record).
before-we-start = Before we start
start-chat = Start the chat
leave-message = Leave a message
choose = Choose…
required = Please fill this in.
consent-needed = Please accept this to start the chat.
form-not-sent = The form could not be sent. Try again.
your-email = Your email
ask-email = No one has answered yet. Leave your email and the team can reach you there.
email-thanks = Thanks! The team will reach you at { $email }.
