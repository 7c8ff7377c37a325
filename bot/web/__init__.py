"""The web pages for officers and staff, served by the same FastAPI app as the API.

Server-rendered (Jinja2 templates in ``templates/``, a little vanilla JS in ``static/``), no front-end
build step, in Vietnamese. :func:`bot.web.site.web_router` gives the pages as one router; the CLI
composes it into :func:`bot.http.app.create_app` beside the API. Pages ask the same
:class:`~bot.answering.service.ServiceHolder` as ``/ask``, so the page and the API answer alike.
"""
