// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringView>

#include <initializer_list>

// A compact JSON writer for the API front's hot paths (list bodies, watch lines, the stored
// objects' cached encodings). Its output is byte for byte what
// QJsonDocument(...).toJson(QJsonDocument::Compact) writes with Qt 6.4 — keys in QJsonObject's
// (sorted) order, the same string escapes, the same number formatting — so no client can tell
// the two apart; it writes straight into one buffer instead of building a QByteArray per string
// and per nested container, several times faster.
namespace rollscope::sim::jsonwriter {

// The compact encoding of `object` / `array`.
QByteArray compact(const QJsonObject &object);
QByteArray compact(const QJsonArray &array);
// The same as compact(object) with the top-level keys in `skip` left out, without copying the
// object (list items are written without kind and apiVersion).
QByteArray compactWithout(const QJsonObject &object, std::initializer_list<QStringView> skip);

// Appends the encoding to `out` (an object's top-level keys in `skip` left out).
void append(QByteArray &out, const QJsonObject &object,
            std::initializer_list<QStringView> skip = {});
void append(QByteArray &out, const QJsonArray &array);
void append(QByteArray &out, const QJsonValue &value);
// A string value: quoted and escaped as Qt's writer does.
void appendString(QByteArray &out, QStringView text);

} // namespace rollscope::sim::jsonwriter
