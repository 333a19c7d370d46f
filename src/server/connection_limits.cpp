#include "server/connection_limits.hpp"

namespace switchboard::server {

ConnectionLimits::Slot& ConnectionLimits::Slot::operator=(Slot&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = other.owner_;
    ip_ = std::move(other.ip_);
    other.owner_ = nullptr;
  }
  return *this;
}

void ConnectionLimits::Slot::release() noexcept {
  if (owner_ != nullptr) owner_->release(ip_);
  owner_ = nullptr;
}

ConnectionLimits::Refusal ConnectionLimits::acquire(const std::string& ip, Slot& slot) {
  std::lock_guard lock(mu_);
  if (max_total_ != 0 && total_ >= max_total_) return Refusal::total;
  auto& from_ip = per_ip_[ip];
  if (max_per_ip_ != 0 && from_ip >= max_per_ip_) {
    if (from_ip == 0) per_ip_.erase(ip);
    return Refusal::per_ip;
  }
  ++from_ip;
  ++total_;
  slot = Slot(this, ip);
  return Refusal::none;
}

void ConnectionLimits::release(const std::string& ip) noexcept {
  std::lock_guard lock(mu_);
  --total_;
  auto it = per_ip_.find(ip);
  if (it != per_ip_.end() && --it->second == 0) per_ip_.erase(it);
}

std::size_t ConnectionLimits::total() const {
  std::lock_guard lock(mu_);
  return total_;
}

std::size_t ConnectionLimits::from(const std::string& ip) const {
  std::lock_guard lock(mu_);
  auto it = per_ip_.find(ip);
  return it == per_ip_.end() ? 0 : it->second;
}

}  // namespace switchboard::server
