// libFuzzer's documented entry for programs that keep their own `main` (llvm.org/docs/LibFuzzer.html,
// "Using libFuzzer as a library"). SwiftPM names an executable's entry point itself, so sankofa-fuzz has a
// Swift `main` that hands control to this driver.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*UserCb)(const uint8_t *Data, size_t Size));
