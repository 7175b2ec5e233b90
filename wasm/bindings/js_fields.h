// wasm/bindings/js_fields.h: reads the optional fields of an options object passed from JS, the same way
// in every binding: a field that is absent keeps the C++ default, a field that is present but not
// what it should be is an error naming it ("options.segments must be an integer from 1 to ...").
//
//   sl::js::Fields f(options, "options");      // undefined or null: every field absent
//   f.integer("segments", 1, 1e6, c.slic.n_segments);
//   f.number("sigma", c.slic.sigma);
//   f.choice<ShapLink>("output", {{"probability", ShapLink::identity}, {"log-odds", ShapLink::logit}}, c.shap.link);
//   if (!f.ok()) return error(f.why());       // the first problem found
#pragma once
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>

namespace sl::js {

class Fields {
public:
    Fields(const emscripten::val& object, const char* what) : object_(object), what_(what) {
        if (!present(object)) return;
        if (object.typeOf().as<std::string>() != "object") why_ = what_ + " must be an object";
    }

    bool ok() const { return why_.empty(); }
    const std::string& why() const { return why_; }

    // A finite number.
    template <typename T>
    void number(const char* name, T& out) {
        const emscripten::val v = field(name);
        if (!present(v)) return;
        if (!v.isNumber() || !std::isfinite(v.as<double>())) return fail(name, "must be a finite number");
        out = T(v.as<double>());
    }
    // A whole number in [lo, hi].
    template <typename T>
    void integer(const char* name, double lo, double hi, T& out) {
        const emscripten::val v = field(name);
        if (!present(v)) return;
        const double x = v.isNumber() ? v.as<double>() : NAN;
        if (!(x >= lo && x <= hi) || x != std::floor(x))
            return fail(
                name, "must be an integer from " + std::to_string(int64_t(lo)) + " to " + std::to_string(int64_t(hi)));
        out = T(x);
    }
    // true or false.
    void boolean(const char* name, bool& out) {
        const emscripten::val v = field(name);
        if (!present(v)) return;
        if (!v.isTrue() && !v.isFalse()) return fail(name, "must be true or false");
        out = v.isTrue();
    }
    // One of the names in `values`; `out` gets the value named.
    template <typename T>
    void choice(const char* name, std::initializer_list<std::pair<const char*, T>> values, T& out) {
        const emscripten::val v = field(name);
        if (!present(v)) return;
        std::string list;
        for (const auto& [n, value] : values) {
            if (v.isString() && v.as<std::string>() == n) {
                out = value;
                return;
            }
            list += (list.empty() ? "" : ", ") + std::string(n);
        }
        fail(name, "must be one of " + list);
    }
    // A string (out: a std::string, or a std::optional<std::string> that tells whether it was given).
    template <typename T>
    void text(const char* name, T& out) {
        const emscripten::val v = field(name);
        if (!present(v)) return;
        if (!v.isString()) return fail(name, "must be a string");
        out = v.as<std::string>();
    }

private:
    static bool present(const emscripten::val& v) { return !v.isUndefined() && !v.isNull(); }
    emscripten::val field(const char* name) const {
        return ok() && present(object_) ? object_[name] : emscripten::val::undefined();
    }
    void fail(const char* name, const std::string& what) {
        if (ok()) why_ = what_ + "." + name + " " + what;
    }

    emscripten::val object_;
    std::string what_;
    std::string why_;
};

}  // namespace sl::js
