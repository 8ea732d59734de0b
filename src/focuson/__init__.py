"""focuson: health-equity programmes in the English NHS, from finding to measuring inequalities."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("focuson")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
