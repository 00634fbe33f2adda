#pragma once
// cpprestsdk's process-wide thread pool, which runs all network I/O and task continuations.
#include <chrono>
#include <cstddef>

namespace fieldsync::server::http {

// Sizes the pool if nothing in the process has used it yet (cpprestsdk's default is 40).
// Called before the first listener opens; later calls do nothing.
void size_network_threads(std::size_t threads);

// Returns once every pool thread has finished what it was running, `rounds` times over, so
// that work they posted while finishing has run too. cpprestsdk completes a closed connection on
// a pool thread after http_listener::close() has returned; work still queued when the process
// exits is dropped and reported as leaked by LeakSanitizer. Bounded by timeout per round; does
// nothing when the pool's size is unknown (it was started by someone else).
void settle_network_threads(int rounds, std::chrono::milliseconds timeout);

}  // namespace fieldsync::server::http
