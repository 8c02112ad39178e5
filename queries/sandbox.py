"""Locks a query worker down: no network sockets, bounded memory.

Two independent network layers, so that a gap in the SPARQL policy (or in Oxigraph) cannot
reach the network: a fresh network namespace with no interfaces up (`unshare`, as root or via
a user namespace for a normal user) and a seccomp filter (libseccomp) that makes `socket()`
fail for every family but AF_UNIX and disables io_uring. The worker talks over pipes only.
Linux-only; elsewhere both layers report themselves unavailable.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import resource

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
AF_UNIX = 1
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE = 1


def _scmp_act_errno(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


def new_network_namespace() -> str | None:
    """Move this (single-threaded) process into an empty network namespace; None if refused."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    if not hasattr(libc, "unshare"):
        return None
    if libc.unshare(CLONE_NEWNET) == 0:
        return "network namespace"
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return "user+network namespace"
    return None


def seccomp_deny_sockets() -> str | None:
    """Install a seccomp filter: socket() for any family but AF_UNIX fails with EACCES."""
    name = ctypes.util.find_library("seccomp")
    if not name:
        return None
    try:
        lib = ctypes.CDLL(name, use_errno=True)
    except OSError:
        return None
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        return None
    try:
        deny = _scmp_act_errno(errno.EACCES)
        socket_nr = lib.seccomp_syscall_resolve_name(b"socket")
        not_unix = (_ArgCmp * 1)(_ArgCmp(0, SCMP_CMP_NE, AF_UNIX, 0))
        if socket_nr < 0 or lib.seccomp_rule_add_array(ctx, deny, socket_nr, 1, not_unix):
            return None
        uring = lib.seccomp_syscall_resolve_name(b"io_uring_setup")
        if uring >= 0 and lib.seccomp_rule_add_array(
            ctx, _scmp_act_errno(errno.ENOSYS), uring, 0, None
        ):
            return None
        if lib.seccomp_load(ctx) != 0:
            return None
    finally:
        lib.seccomp_release(ctx)
    return "seccomp"


def lock_down_network() -> list[str]:
    """Apply every network lockdown layer available here; the names of those that took."""
    return [layer for layer in (new_network_namespace(), seccomp_deny_sockets()) if layer]


def limit_memory(max_bytes: int | None) -> str | None:
    """Cap this process's data segment (heap and anonymous mappings) at `max_bytes`."""
    if not max_bytes:
        return None
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (max_bytes, max_bytes))
    except (ValueError, OSError):
        return None
    return f"RLIMIT_DATA {max_bytes >> 20} MiB"
