// core/base/result.h: sl::Result<T>, a value or an error message; how the core reports bad input.
//
// The core never throws (a throw aborts a WebAssembly module built without exception catching),
// so every function that can meet bad input (a corrupt photo, a wrong model, an absurd size)
// returns a Result. Programmer mistakes are asserts instead.
//
//   sl::Result<sl::Image> r = sl::decode_image(bytes);
//   if (!r) { report(r.error()); return; }
//   use(r.value());
#pragma once
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace sl {

struct Error {
    std::string message;  // one line, for people: what went wrong and, where known, what to do
};

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    explicit operator bool() const { return v_.index() == 0; }
    bool ok() const { return v_.index() == 0; }

    T& value() & {
        assert(ok());
        return std::get<0>(v_);
    }
    const T& value() const& {
        assert(ok());
        return std::get<0>(v_);
    }
    T&& value() && {
        assert(ok());
        return std::get<0>(std::move(v_));
    }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    const std::string& error() const {
        assert(!ok());
        return std::get<1>(v_).message;
    }

private:
    std::variant<T, Error> v_;
};

// Result<void>: success or an error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error.message)), failed_(true) {}
    explicit operator bool() const { return !failed_; }
    bool ok() const { return !failed_; }
    const std::string& error() const {
        assert(failed_);
        return error_;
    }

private:
    std::string error_;
    bool failed_ = false;
};

inline Error fail(std::string message) { return Error{std::move(message)}; }

}  // namespace sl
