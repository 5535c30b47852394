# Las líneas de sistema de una conversación, el registro del equipo de quién cambió qué
# (ids line-…): el servidor las guarda en inglés y la app de operadores las dice en su
# idioma. Véase types/src/phrase.rs.
#
# $actor: customer, parley o member ($name: el nombre del miembro). $from, $to: un estado
# (open, snoozed, closed) o una prioridad (normal, critical); $outcome: resolved, abandoned
# o expired; $until: una hora como "2026-12-05 14:03 UTC".

line-status = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } cambió el estado de { $from ->
        [open] abierta
        [snoozed] pospuesta
        [closed] cerrada
       *[other] { $from }
    } a { $to ->
        [open] abierta
        [snoozed] pospuesta
        [closed] cerrada
       *[other] { $to }
    }
line-status-snoozed-until = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } cambió el estado de { $from ->
        [open] abierta
        [snoozed] pospuesta
        [closed] cerrada
       *[other] { $from }
    } a pospuesta hasta { $until }
line-status-snoozed = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } cambió el estado de { $from ->
        [open] abierta
        [snoozed] pospuesta
        [closed] cerrada
       *[other] { $from }
    } a pospuesta hasta que el cliente escriba
line-status-closed = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } cambió el estado de { $from ->
        [open] abierta
        [snoozed] pospuesta
        [closed] cerrada
       *[other] { $from }
    } a cerrada ({ $outcome ->
        [resolved] resuelta
        [abandoned] abandonada
        [expired] caducada
       *[other] { $outcome }
    })
line-snoozed-again-until = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } volvió a posponer la conversación hasta { $until }
line-snoozed-again = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } volvió a posponer la conversación hasta que el cliente escriba
line-priority = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } cambió la prioridad de { $from ->
        [normal] normal
        [critical] crítica
       *[other] { $from }
    } a { $to ->
        [normal] normal
        [critical] crítica
       *[other] { $to }
    }
line-label-added = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } añadió la etiqueta { $label }
line-label-removed = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } quitó la etiqueta { $label }
line-unassigned = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } dejó la conversación sin asignar
line-took = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } se asignó la conversación
line-assigned = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } asignó la conversación a { $assignee }
line-department-moved = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } pasó la conversación al departamento { $department }
line-department-removed = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } sacó la conversación de su departamento
# Se quitó a un miembro del espacio de trabajo y la conversación que tenía espera a otra
# persona en la vista En directo.
line-member-removed = { $actor ->
        [customer] El cliente
        [parley] Parley
       *[member] { $name }
    } quitó a { $member } del espacio de trabajo: la conversación espera en «En directo»
# Un miembro escribió primero a un contacto ($name: el miembro).
line-started = { $name } inició la conversación
# Asignación automática de un departamento.
line-assigned-round-robin = Parley asignó la conversación a { $assignee } (departamento { $department }, por turnos)
# Un miembro guardó a un visitante como contacto ($name: el miembro; $contact: el nombre del contacto).
line-contact-saved = { $name } guardó el contacto como { $contact }
