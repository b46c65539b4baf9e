#ifndef SANKOFA_CSNAPPY_SHIM_H
#define SANKOFA_CSNAPPY_SHIM_H
#include <snappy-c.h>
#endif
