// An LD_PRELOAD library for tests/cli/reliability_process_test.cpp: the
// first $SCALESIM_TEST_FIXED_RANDOM_CALLS calls of getrandom(2) return zero
// bytes, so the binary's first temporary name is predictable
// (".scalesim-0000000000000000.tmp") and a test can plant a symlink there.
// Later calls go to the real getrandom.
#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

#include <sys/types.h>

extern "C" ssize_t getrandom(void* buffer, size_t length, unsigned int flags) {
  static const long fixed = [] {
    const char* v = std::getenv("SCALESIM_TEST_FIXED_RANDOM_CALLS");
    return v != nullptr ? std::strtol(v, nullptr, 10) : 0L;
  }();
  static long calls = 0;
  if (calls++ < fixed) {
    std::memset(buffer, 0, length);
    return static_cast<ssize_t>(length);
  }
  using Real = ssize_t (*)(void*, size_t, unsigned int);
  static const Real real =
      reinterpret_cast<Real>(::dlsym(RTLD_NEXT, "getrandom"));
  return real(buffer, length, flags);
}
