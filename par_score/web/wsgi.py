"""The WSGI application (served by waitress through `par-score serve`)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "par_score.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
