// ThreadCtx: one OpenSSL context of type T, made when a thread first uses it
// and freed when the thread ends. Held in a thread_local, it lets the hot
// paths reuse a context (EVP_*_CTX reset keeps its allocation) without
// locks: a context is never shared between threads.
#pragma once

namespace jwtgate {

template <typename T, T* (*New)(), void (*Free)(T*)>
struct ThreadCtx {
  T* ctx = New();  // null when OpenSSL could not allocate it: users check
  ThreadCtx() = default;
  ThreadCtx(const ThreadCtx&) = delete;
  ThreadCtx& operator=(const ThreadCtx&) = delete;
  ~ThreadCtx() { Free(ctx); }
};

}  // namespace jwtgate
