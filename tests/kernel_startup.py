# The notebooks' kernels run this at their start (PYTHONSTARTUP, set by conftest.py; only
# interactive Python reads it). It changes nothing a notebook does: the kernel's exit, which nbmake
# waits for, skips the garbage collector's last search of the whole heap (0.7-2 s a notebook).
import atexit
import gc

atexit.register(gc.freeze)
del atexit, gc
