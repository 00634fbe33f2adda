#include "report.h"

#include <cstdio>
#include <exception>

namespace fieldsync::bench {

Args parse_args(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--smoke") {
      args.mode = Mode::smoke;
    } else if (a == "--quick") {
      args.mode = Mode::quick;
    } else {
      args.rest.push_back(a);
    }
  }
  return args;
}

namespace {
std::string number(double v) {
  char text[64];
  if (v != 0 && (v >= 1e6 || v < 0.01)) {
    std::snprintf(text, sizeof text, "%.3g", v);
  } else {
    std::snprintf(text, sizeof text, "%.2f", v);
  }
  return text;
}
}  // namespace

void print_figure(const Figure& f) {
  std::printf("FIGURE\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", f.name.c_str(), number(f.value).c_str(),
              f.unit.c_str(), f.baseline ? number(*f.baseline).c_str() : "-",
              f.ratio ? number(*f.ratio).c_str() : "-", f.target.empty() ? "-" : f.target.c_str(),
              f.met ? (*f.met ? "yes" : "NO") : "-");
  std::fflush(stdout);
}

void note(const std::string& text) {
  std::printf("NOTE\t%s\n", text.c_str());
  std::fflush(stdout);
}

void check(bool ok, const std::string& what) {
  if (!ok) throw CheckFailed(what);
}

int run_bench(int argc, char** argv, const char* name, int (*body)(const Args&)) {
  try {
    return body(parse_args(argc, argv));
  } catch (const CheckFailed& e) {
    std::fprintf(stderr, "%s: CHECK FAILED: %s\n", name, e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: failed: %s\n", name, e.what());
  }
  return 1;
}

}  // namespace fieldsync::bench
