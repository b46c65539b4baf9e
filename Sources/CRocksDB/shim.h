#ifndef SANKOFA_CROCKSDB_SHIM_H
#define SANKOFA_CROCKSDB_SHIM_H
#include <rocksdb/c.h>
#endif
