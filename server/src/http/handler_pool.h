#pragma once
// A fixed set of threads that run tasks in submission order. The edge runs ApiHandler::handle()
// here so that a handler blocking on the store never holds a network thread. Thread-safe.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace fieldsync::server::http {

class HandlerPool {
 public:
  explicit HandlerPool(std::size_t threads);
  ~HandlerPool();  // shutdown()
  HandlerPool(const HandlerPool&) = delete;
  HandlerPool& operator=(const HandlerPool&) = delete;

  // False (task not run) once shutdown() has begun. Tasks must not throw.
  bool submit(std::function<void()> task);
  // Drops the tasks not yet started, waits for the running ones. Idempotent; must not be called
  // from a pool thread.
  void shutdown();

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace fieldsync::server::http
