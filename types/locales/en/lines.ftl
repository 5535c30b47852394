# A conversation's system lines, the team's record of who changed what (ids line-…): the
# server stores them in English and the operator app says them in its language. See
# types/src/phrase.rs.
#
# $actor: customer, parley or member ($name: the member's name, else "The customer" or
# "Parley"). $from, $to: a status (open, snoozed, closed) or a priority (normal, critical);
# $outcome: resolved, abandoned or expired; $until: a time such as "2026-12-05 14:03 UTC".

line-status = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } changed the status from { $from } to { $to }
line-status-snoozed-until = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } changed the status from { $from } to snoozed until { $until }
line-status-snoozed = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } changed the status from { $from } to snoozed until the customer writes
line-status-closed = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } changed the status from { $from } to closed ({ $outcome })
line-snoozed-again-until = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } snoozed the conversation again until { $until }
line-snoozed-again = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } snoozed the conversation again until the customer writes
line-priority = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } changed the priority from { $from } to { $to }
line-label-added = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } added the label { $label }
line-label-removed = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } removed the label { $label }
line-unassigned = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } unassigned the conversation
line-took = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } took the conversation
line-assigned = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } assigned the conversation to { $assignee }
line-department-moved = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } moved the conversation to the department { $department }
line-department-removed = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } took the conversation out of its department
# A member was removed from the workspace and the conversation they had waits for someone
# else in the Live view.
line-member-removed = { $actor ->
        [customer] The customer
        [parley] Parley
       *[member] { $name }
    } removed { $member } from the workspace: the conversation waits in Live
# A member wrote first to a contact ($name: the member).
line-started = { $name } started the conversation
# Auto-assignment by a department.
line-assigned-round-robin = Parley assigned the conversation to { $assignee } (department { $department }, round robin)
# A member saved a visitor as a contact ($name: the member; $contact: the contact's name).
line-contact-saved = { $name } saved the contact as { $contact }
