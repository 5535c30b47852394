# contacts

# What a contact is to the business.
contacts-kind-guest = Guest
contacts-kind-lead = Lead
contacts-kind-customer = Customer

# Fields, on the list, the contact page and "Save contact".
contacts-name = Name
contacts-email = Email
contacts-phone = Phone
contacts-type = Type
contacts-labels = Labels
contacts-last-seen = Last seen
contacts-save = Save
contacts-loading = Loading…

# "Save contact" in a conversation's header.
contacts-profile-link = Profile
contacts-save-contact = Save contact
contacts-save-labels = Labels for the contact
contacts-save-hint = A guest becomes a lead.
# $kind: guest, lead or customer.
contacts-saved = Contact saved: { $name } ({ $kind ->
    [guest] guest
    [lead] lead
   *[customer] customer
}).

# The contact list.
contacts-title = Contacts
contacts-search = Search contacts
contacts-search-placeholder = Name, email, phone or #id
contacts-all-types = All types
contacts-label = Label
contacts-any-label = Any label
contacts-seen-any-time = Seen any time
contacts-seen-today = Seen today
contacts-seen-this-week = Seen this week
contacts-seen-this-month = Seen this month
contacts-created = Created
contacts-created-any-time = Created any time
contacts-created-today = Created today
contacts-created-this-week = Created this week
contacts-created-this-month = Created this month
contacts-with-open-conversation = With an open conversation
contacts-segments = Segments
contacts-segment-saved = Segment { $name } saved ({ $count } contacts).
contacts-segment-deleted = Segment deleted.
contacts-segment-delete = Delete segment { $name }
contacts-segment-name = Segment name
contacts-segment-placeholder = Save this filter as…
contacts-segment-save = Save segment
contacts-selected-contacts = Selected contacts
contacts-selected = { $count } selected
contacts-label-selected = Label selected
contacts-bulk-label = Label…
contacts-bulk-add = Add { $name }
contacts-bulk-remove = Remove { $name }
contacts-bulk-labelled = Label changed on { $count } contacts.
contacts-delete-selected = Delete selected
contacts-deleted = { $count } contacts deleted.
contacts-export-csv = Export CSV
contacts-count = { $count ->
    [one] { $count } contact
   *[other] { $count } contacts
}
# A hidden column heading: the row's checkbox.
contacts-select = Select
contacts-select-row = Select { $name }
contacts-load-more = Load more

# Importing a CSV file. $done of $total rows; $created new, $updated updated, $failed not taken.
contacts-import-csv = Import CSV
contacts-import-match = Match rows on
contacts-import-match-email = email
contacts-import-match-user-id = user id
contacts-import-file = CSV file
contacts-import = Import
contacts-import-would = Would import { $done } of { $total } rows: { $created } new, { $updated } updated, { $failed } not taken.
contacts-import-done = Imported { $done } of { $total } rows: { $created } new, { $updated } updated, { $failed } not taken.
contacts-import-running = Importing { $done } of { $total } rows: { $created } new, { $updated } updated, { $failed } not taken.
contacts-import-problems = Rows not taken
contacts-import-line = Line
contacts-import-column = Column
contacts-import-why = Why
contacts-import-not-sent = The file could not be sent; check the connection and try again.
contacts-import-pick-first = Pick a CSV file first.

# A contact's page.
contacts-contact = Contact
contacts-back = ← Contacts
contacts-profile = Profile
contacts-profile-saved = { $name } saved.
contacts-timezone = Time zone
contacts-language = Language
contacts-external-id = User id on your site:
contacts-verified = (verified)
contacts-not-verified = (not verified)
# $first, $last: a day and a time.
contacts-first-last-seen = First seen { $first } · last seen { $last }
# "Firefox on Linux".
contacts-device = { $browser } on { $os }
contacts-yes = Yes
contacts-no = No
# $contact is where the link (contacts-duplicate-link) goes.
contacts-duplicate = Possibly the same person as { $contact } (same email).
contacts-duplicate-link = contact #{ $id }
contacts-merge = Merge it into this one
contacts-merged = Merged into { $name }.
contacts-label-remove = Remove { $name }
contacts-label-add = Add label
contacts-label-add-placeholder = Add a label…
contacts-notes = Notes
contacts-note-new = New note
contacts-note-placeholder = A note for the team (@ mentions a teammate)
contacts-note-add = Add note
contacts-note-delete = Delete
contacts-activity = Activity
contacts-activity-empty = Nothing yet.
contacts-visited = Visited { $page }
contacts-form-email = Left an email in the chat
contacts-form-offline = Left a message outside business hours
contacts-form-prechat = Filled in the pre-chat form
contacts-emailed = { $count ->
    [one] Emailed 1 unseen reply to { $email }
   *[other] Emailed { $count } unseen replies to { $email }
}
contacts-conversations = Conversations
contacts-conversations-empty = No conversations yet.
# "#12 · open": $status is open, snoozed or closed.
contacts-conversation-link = #{ $id } · { $status ->
    [open] open
    [snoozed] snoozed
   *[closed] closed
}
