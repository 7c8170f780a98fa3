"""Schemathesis hooks for the fuzz run: every request gets its own correlation id, and every answer is logged.

The log (FUZZ_LOG) has one line per request: `<correlation id> <status> <method> <path>`. The test then checks that
no answer was a 5xx and that every event stored during the run carries the correlation id of a request that was
answered 2xx, so a rejected request never stored anything.
"""

import itertools
import os
import threading

import schemathesis

_counter = itertools.count(1)
_lock = threading.Lock()
_log_path = os.environ["FUZZ_LOG"]
_prefix = os.environ.get("FUZZ_PREFIX", "fz")


@schemathesis.hook
def before_call(ctx, case, kwargs):
    correlation = f"{_prefix}-{next(_counter)}"
    case.headers = {**(case.headers or {}), "X-Correlation-Id": correlation}


@schemathesis.hook
def after_call(ctx, case, response):
    correlation = (case.headers or {}).get("X-Correlation-Id", "-")
    with _lock, open(_log_path, "a", encoding="utf-8") as log:
        log.write(f"{correlation} {response.status_code} {case.method} {case.path}\n")


_customers = [c for c in os.environ.get("FUZZ_CUSTOMERS", "").split(",") if c]
_reps = [r for r in os.environ.get("FUZZ_REPS", "").split(",") if r]


@schemathesis.hook
def map_path_parameters(ctx, path_parameters):
    """Half of the generated ids are swapped for ids the demo holds, so commands reach the rules, not only a 404."""
    if not path_parameters:
        return path_parameters
    import random

    if _customers and "customerId" in path_parameters and random.random() < 0.5:
        path_parameters["customerId"] = random.choice(_customers)
    if _reps and "repId" in path_parameters and random.random() < 0.5:
        path_parameters["repId"] = random.choice(_reps)
    return path_parameters
