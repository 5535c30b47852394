# inbox

## The conversation list: views, order, rows.

inbox-conversations = Conversations
inbox-loading = Loading…
inbox-load-more = Load more
inbox-views = Views
inbox-view-live = Live
inbox-view-mine = Mine
inbox-view-assigned = Assigned
inbox-view-snoozed = Snoozed
inbox-view-archived = Archived
inbox-empty-live = Nobody is waiting. New conversations appear here as visitors write.
inbox-empty-mine = Nothing assigned to you.
inbox-empty-assigned = No open conversation is assigned.
inbox-empty-snoozed = No snoozed conversations.
inbox-empty-archived = No closed conversations yet.
# The order of the list (a label followed by a select).
inbox-sort = Sort
inbox-sort-latest = Latest activity
inbox-sort-longest-waiting = Longest waiting
inbox-sort-priority = Priority
# A row's preview while the visitor types.
inbox-typing = typing…
# A row's preview when the last message is the team's reply.
inbox-preview-reply = Reply: { $text }
inbox-critical = Critical
# A row's badge of unread messages (its accessible name).
inbox-unread-count = { $count } unread
inbox-choose-conversation = Choose a conversation.
# A conversation's status, as shown in rows and the status filter.
inbox-status-open = open
inbox-status-snoozed = snoozed
inbox-status-closed = closed

## Search, filters and saved views.

inbox-search-conversations = Search conversations
inbox-search-placeholder = Search messages and notes (Ctrl+K)
inbox-search = Search
inbox-filters = Filters
inbox-status-filter = Status filter
inbox-any-status = Any status
inbox-assignee-filter = Assignee filter
inbox-anyone = Anyone
inbox-assignee-me = Me
inbox-assignee-nobody = Nobody
inbox-label-filter = Label filter
inbox-any-label = Any label
inbox-outcome-filter = Outcome filter
inbox-any-outcome = Any outcome
inbox-outcome-resolved = resolved
inbox-outcome-abandoned = abandoned
inbox-outcome-expired = expired
inbox-department-filter = Department filter
inbox-any-department = Any department
inbox-channel-filter = Channel filter
inbox-any-channel = Any channel
inbox-channel-widget = widget
inbox-contact-type-filter = Contact type filter
inbox-any-contact = Any contact
inbox-contact-guest = guest
inbox-contact-lead = lead
inbox-contact-customer = customer
# "Created from [date] to [date]".
inbox-created-from = Created from
inbox-created-to = to
inbox-unread = Unread
inbox-saved-views = Saved views
inbox-shared-with-team = Shared with the team
# After a shared saved view's name.
inbox-team-mark = ·team
inbox-view-saved = Saved the view { $name }.
inbox-view-deleted = Deleted the view.
inbox-search-results = Search results
inbox-searching = Searching…
inbox-found = { $count ->
    [one] { $count } conversation found
   *[other] { $count } conversations found
}
inbox-clear = Clear
inbox-delete-view = Delete view
inbox-view-name = View name
inbox-name-this-view = Name this view
inbox-save-view = Save view
# Before a found note's text.
inbox-snippet-note = Note:

## A conversation's labels.

inbox-labels = Labels
inbox-remove-label = Remove label { $name }
inbox-add-label = Add label
inbox-add-label-option = + Label

## @mentions in notes.

inbox-mention = Mention

## Quick replies: the composer's list and the /quick-replies page.

inbox-quick-replies = Quick replies
inbox-quick-no-match = No quick reply matches. Write one and save it.
inbox-save-as-quick-reply = Save as quick reply
inbox-quick-title = Title
inbox-quick-shortcut = Shortcut
inbox-quick-shortcut-placeholder = shortcut
# The label before the shortcut's input (the shortcut follows the slash).
inbox-quick-shortcut-slash = Shortcut /
inbox-quick-text = Text
inbox-save = Save
inbox-quick-saved-as = Saved as /{ $shortcut }.
inbox-quick-saved = Saved /{ $shortcut }.
inbox-quick-deleted = Quick reply deleted.
# The {"{{…}}"} variables are written as they are typed in a quick reply.
inbox-quick-hint = Type / in a reply to use one. {"{{contact.name}}"} and {"{{member.name}}"} are filled in when used.
inbox-quick-scope = Scope
inbox-quick-shared = Shared
inbox-quick-personal = Personal
inbox-quick-search = Search quick replies
inbox-quick-new = New quick reply
inbox-quick-save-everyone = Save for everyone
inbox-quick-save-me = Save for me
inbox-quick-list = Quick replies list
inbox-quick-files = Files
inbox-quick-used = Used
inbox-quick-none = No quick replies here yet.
inbox-quick-edit-label = Edit /{ $shortcut }
inbox-edit = Edit
inbox-delete = Delete
inbox-cancel = Cancel

## The member's own inbox (/my-inbox).

inbox-my-inbox = My inbox
inbox-title = Inbox
inbox-items = Inbox items
inbox-items-current = Current
inbox-items-archived = Archived
inbox-nothing-archived = Nothing archived.
inbox-nothing-current = Nothing for you right now: mentions and conversations assigned to you land here.
inbox-mentioned-you-on-contact = { $name } mentioned you on a contact
inbox-mentioned-you = { $name } mentioned you
inbox-assigned-you = { $name } assigned you a conversation
inbox-mark-unread = Mark unread
inbox-mark-read = Mark read
inbox-move-back = Move back
inbox-archive = Archive
