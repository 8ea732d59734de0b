"""``python -m focuson.web.manage ARGS``: Django's manage.py for focuson (also ``focuson web``)."""

import sys

from focuson.web import manage

if __name__ == "__main__":
    manage(sys.argv[1:])
