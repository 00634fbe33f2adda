#include "http/network_threads.h"

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <utility>  // before boost/asio: its awaitable.hpp uses std::exchange unincluded

#include <pplx/threadpool.h>
#include <spdlog/spdlog.h>

namespace fieldsync::server::http {
namespace {

std::atomic<std::size_t> pool_size{0};  // 0: unknown

// All pool threads meet here: each waits until every one has arrived (or time is up).
struct Barrier {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t arrived = 0;
  bool open = false;
};

}  // namespace

void size_network_threads(std::size_t threads) {
  static std::once_flag once;
  std::call_once(once, [threads] {
    try {
      crossplat::threadpool::initialize_with_threads(threads);
      pool_size = threads;
    } catch (const std::exception& e) {
      spdlog::debug("cpprestsdk thread pool already running: {}", e.what());
    }
  });
}

void settle_network_threads(int rounds, std::chrono::milliseconds timeout) {
  const std::size_t threads = pool_size;
  if (threads == 0) return;
  auto& service = crossplat::threadpool::shared_instance().service();
  for (int round = 0; round < rounds; ++round) {
    auto barrier = std::make_shared<Barrier>();
    for (std::size_t i = 0; i < threads; ++i) {
      service.post([barrier, timeout] {
        std::unique_lock lock(barrier->mutex);
        ++barrier->arrived;
        barrier->changed.notify_all();
        barrier->changed.wait_for(lock, timeout, [&] { return barrier->open; });
      });
    }
    std::unique_lock lock(barrier->mutex);
    const bool all =
        barrier->changed.wait_for(lock, timeout, [&] { return barrier->arrived == threads; });
    barrier->open = true;
    barrier->changed.notify_all();
    if (!all) {
      spdlog::debug("network threads did not settle within {} ms", timeout.count());
      return;
    }
  }
}

}  // namespace fieldsync::server::http
