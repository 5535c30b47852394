# Words shared by every feature: dates, and counts many pages show.

month-short-1 = Jan
month-short-2 = Feb
month-short-3 = Mar
month-short-4 = Apr
month-short-5 = May
month-short-6 = Jun
month-short-7 = Jul
month-short-8 = Aug
month-short-9 = Sep
month-short-10 = Oct
month-short-11 = Nov
month-short-12 = Dec
# A calendar day: "Dec 5, 2026".
date-medium = { $month } { $day }, { $year }
# A day and a time: "Dec 5, 2026, 14:03".
date-time = { $date }, { $time }

# What an error says when the server sent nothing more specific (by its code).
error-invalid = The request is not valid.
error-unauthorized = Please sign in.
error-forbidden = You are not allowed to do this.
error-not-found = Not found.
error-conflict = This conflicts with what is already stored.
error-too-large = The request is too large.
error-too-many = Too many requests. Please wait a moment and try again.
error-internal = Something went wrong on our side. Please try again.
error-unavailable = Parley is temporarily unavailable. Please try again shortly.
error-request = Could not reach Parley.
