"""The event pipeline, for any kind of event a feature app defines (its models are in
`participation.models.events`): the audience, invitations and their delivery, personal
links, the invitee's replies (web page and API), reminders and calendar files.

Modules depend on each other in one direction: links, calendar, audiences, selectors ←
invitations ← replies, reminders ← views, api. Each Celery task sits beside the service it
runs; `participation.tasks` only imports them for the worker."""
