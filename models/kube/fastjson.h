// SPDX-License-Identifier: MIT
#pragma once

// A read-only JSON tree parsed by simdjson, offering the part of QJsonValue / QJsonObject /
// QJsonArray's API that the typed decoders in resources.cpp use, so that one decoder template
// reads both. Parsing a pod with simdjson and decoding it from this tree costs a fraction of
// QJsonDocument::fromJson (tests/bench/bench_decode measures both on a real pod list): watch
// events, thousands a second during a big rollout, are read this way.
//
// Semantics follow Qt's: a missing key is an undefined value, toString() of a non-string is "",
// toObject()/toArray() of anything else is empty, toInteger() gives integral numbers that fit in
// 64 bits and the fallback otherwise, and of duplicate keys the last one counts. What simdjson
// rejects and Qt accepts (a lone surrogate escape, a number beyond double's range) is left to
// Qt by WatchLineParser; fuzz_watch checks that both readings agree.
//
// The tree lives in a parser kept per thread: a Value is valid until the next parse() on the
// same thread. Copy out what you need (the decoders build QStrings) before parsing again.
//
// Include this header only in .cpp files: simdjson.h is large.

#include <QByteArrayView>
#include <QString>
#include <QStringView>

#include <optional>
#include <simdjson.h>
#include <string_view>

namespace rollscope::kube::fastjson {

class Object;
class Array;

class Value
{
public:
    Value() = default;
    explicit Value(simdjson::dom::element element)
        : m_element(element)
        , m_defined(true)
    {}

    bool isUndefined() const { return !m_defined; }
    bool isNull() const { return is(simdjson::dom::element_type::NULL_VALUE); }
    bool isBool() const { return is(simdjson::dom::element_type::BOOL); }
    bool isString() const { return is(simdjson::dom::element_type::STRING); }
    bool isObject() const { return is(simdjson::dom::element_type::OBJECT); }
    bool isArray() const { return is(simdjson::dom::element_type::ARRAY); }
    // Any number, as QJsonValue::isDouble().
    bool isDouble() const;

    QString toString() const;
    // The UTF-8 bytes of a string (escapes resolved, valid UTF-8: simdjson checked), "" for
    // anything else: what toString() converts, for a reader that can use the bytes as they are.
    // Valid as the Value.
    std::string_view utf8() const;
    bool toBool(bool fallback = false) const;
    qint64 toInteger(qint64 fallback = 0) const;
    Object toObject() const;
    Array toArray() const;

private:
    bool is(simdjson::dom::element_type type) const
    {
        return m_defined && m_element.type() == type;
    }

    simdjson::dom::element m_element;
    bool m_defined = false;
};

// What both iterators share: stepping and comparing a simdjson iterator. Derived reads it.
template<typename Iterator, typename Derived>
class SteppingIterator
{
public:
    explicit SteppingIterator(Iterator it)
        : m_it(it)
    {}
    Derived &operator++()
    {
        ++m_it;
        return static_cast<Derived &>(*this);
    }
    // Hidden friends taking two Derived: as members taking one, C++20's reversed candidates made
    // `a != b` ambiguous for clang (-Wambiguous-reversed-operator).
    friend bool operator!=(const Derived &a, const Derived &b) { return a.m_it != b.m_it; }
    friend bool operator==(const Derived &a, const Derived &b) { return !(a.m_it != b.m_it); }

protected:
    Iterator m_it;
};

class Object
{
public:
    Object() = default;
    explicit Object(simdjson::dom::object object)
        : m_object(object)
        , m_defined(true)
    {}

    // `key` is ASCII (the decoders' keys are literals).
    Value value(QStringView key) const;
    // value() of each of `count` keys into `values`, in one pass over the members instead of one
    // per key: for a decoder that reads several keys of an object.
    void values(const QStringView *keys, Value *values, size_t count) const;
    bool contains(QStringView key) const { return !value(key).isUndefined(); }
    bool isEmpty() const { return !m_defined || m_object.size() == 0; }

    class const_iterator : public SteppingIterator<simdjson::dom::object::iterator, const_iterator>
    {
    public:
        using SteppingIterator::SteppingIterator;
        QString key() const;
        // The key's UTF-8 bytes, as Value::utf8().
        std::string_view keyUtf8() const { return m_it.key(); }
        Value value() const { return Value(m_it.value()); }
    };
    // An undefined object iterates as an empty one.
    const_iterator begin() const
    {
        return const_iterator(m_defined ? m_object.begin() : simdjson::dom::object::iterator());
    }
    const_iterator end() const
    {
        return const_iterator(m_defined ? m_object.end() : simdjson::dom::object::iterator());
    }

private:
    simdjson::dom::object m_object;
    bool m_defined = false;
};

class Array
{
public:
    Array() = default;
    explicit Array(simdjson::dom::array array)
        : m_array(array)
        , m_defined(true)
    {}

    qsizetype size() const { return m_defined ? qsizetype(m_array.size()) : 0; }
    bool isEmpty() const { return size() == 0; }
    Value first() const;

    class const_iterator : public SteppingIterator<simdjson::dom::array::iterator, const_iterator>
    {
    public:
        using SteppingIterator::SteppingIterator;
        Value operator*() const { return Value(*m_it); }
    };
    // An undefined array iterates as an empty one.
    const_iterator begin() const;
    const_iterator end() const;

private:
    simdjson::dom::array m_array;
    bool m_defined = false;
};

// Parses `json` with this thread's parser, invalidating the Values of the previous parse on this
// thread. nullopt when it is not valid JSON (or nests deeper than 1024 levels).
std::optional<Value> parse(QByteArrayView json);
// The same, for text followed by at least `readableAfter` bytes of the same allocation (any
// content): with at least simdjson::SIMDJSON_PADDING of them, simdjson reads the text where it
// is rather than from a padded copy.
std::optional<Value> parse(QByteArrayView json, qsizetype readableAfter);

} // namespace rollscope::kube::fastjson
