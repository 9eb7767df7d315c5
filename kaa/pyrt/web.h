/* kaa.web's booted transport: the kernel's HTTP server calls the service's handler
   (kaa/web/bridge.py calls k_web_handle for each request). */
#pragma once
#include "object.h"

kval k_web_set_handler(kval handler);     /* a Callable[[int], None]: the exchange's address */
kval k_web_print_exception(kval exc);     /* its traceback on the console, as an uncaught one's */
bool k_web_kept(kval obj);                 /* obj is referenced from elsewhere than the caller's variable */
