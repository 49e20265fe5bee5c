// LiveRoutes: the route table in service now. A request takes a reference
// to the current table and keeps it until it is answered, so a reload that
// swaps in a new table never pulls a validator out from under a request;
// the old table is freed when its last request ends.
#pragma once

#include <memory>
#include <mutex>

#include "route_table.h"

namespace cli::serve {

class LiveRoutes {
 public:
  std::shared_ptr<const RouteTable> get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return table_;
  }
  void set(std::shared_ptr<const RouteTable> table) {
    std::shared_ptr<const RouteTable> old;
    {
      std::lock_guard<std::mutex> lock(mu_);
      old = std::move(table_);
      table_ = std::move(table);
    }
    // |old| dies here, outside the lock: freeing validators joins their
    // refresh threads, which must not stall requests.
  }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RouteTable> table_;
};

}  // namespace cli::serve
