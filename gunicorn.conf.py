"""gunicorn settings (read from the working directory, /app in the image): an access log without personal data.

X-3: the access log never holds an ID or phone number. Query strings and referers (which carry the
full URL) are left out of each line, and the same masking filter as the application's logs rewrites
anything that still looks like an ID number or a mobile number in a path.
"""

import logging

from docregsys.identity.logfilter import MaskPersonalDataFilter

# The default format's %(r)s is the request line with its query string and %(f)s the referer: %(U)s is
# the path alone.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss "%(a)s"'


def on_starting(server):
    """Mask the access and error loggers in the master; the workers fork from it and keep the filter."""
    for name in ("gunicorn.access", "gunicorn.error"):
        logging.getLogger(name).addFilter(MaskPersonalDataFilter())
