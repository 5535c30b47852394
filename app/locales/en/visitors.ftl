# visitors

# Who is on the customer's site right now.
visitors-title = Visitors
visitors-search = Search visitors
visitors-search-placeholder = Name or page
visitors-conversation = Conversation
visitors-everyone = Everyone
visitors-chatting = In a conversation
visitors-not-chatting = Not in a conversation
visitors-loading = Loading…
visitors-online = { $count ->
    [0] Nobody is on your site right now.
    [one] { $count } visitor online
   *[other] { $count } visitors online
}
visitors-visitor = Visitor
visitors-page = Page
visitors-from = From
visitors-pages = Pages
visitors-since = Since
visitors-browser = Browser
visitors-language = Language
# "Firefox on Linux".
visitors-device = { $browser } on { $os }

# Writing first to a visitor.
visitors-message = Message
visitors-write-to = Write to { $name }
visitors-first-message = First message
visitors-send = Send
visitors-message-sent = Message sent: the conversation is yours.
