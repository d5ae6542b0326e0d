// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <initializer_list>

// Small helpers for reading and editing nested Kubernetes objects held as QJsonObject.
// The simulator keeps objects as JSON (not typed structs) so every field a client sends survives
// a round trip, exactly as with a real API server.
namespace rollscope::sim::json {

using Path = std::initializer_list<QStringView>;

QJsonValue get(const QJsonObject &object, Path path);
QJsonObject object(const QJsonObject &object, Path path);
QJsonArray array(const QJsonObject &object, Path path);
QString string(const QJsonObject &object, Path path);
qint64 integer(const QJsonObject &object, Path path, qint64 fallback = 0);
bool boolean(const QJsonObject &object, Path path, bool fallback = false);
bool has(const QJsonObject &object, Path path);

// Sets the value at `path`, creating intermediate objects. An undefined value removes the key.
void set(QJsonObject &object, Path path, const QJsonValue &value);
void remove(QJsonObject &object, Path path);

// Same, with a runtime key list (annotation and label names are data, not literals).
QJsonValue get(const QJsonObject &object, const QStringList &path);
void set(QJsonObject &object, const QStringList &path, const QJsonValue &value);

// Metadata shortcuts.
QString name(const QJsonObject &object);
QString ns(const QJsonObject &object);
QString uid(const QJsonObject &object);
QString annotation(const QJsonObject &object, const QString &key);
void setAnnotation(QJsonObject &object, const QString &key, const QString &value);
QString label(const QJsonObject &object, const QString &key);
QJsonObject labels(const QJsonObject &object);
bool isBeingDeleted(const QJsonObject &object);

// RFC 3339 with second precision in UTC, as Kubernetes metav1.Time serializes.
QString timestamp(qint64 msSinceEpoch);
// Microsecond precision (metav1.MicroTime), as events.k8s.io and Lease use.
QString microTimestamp(qint64 msSinceEpoch);
// Parses both forms; -1 on failure.
qint64 parseTimestamp(const QString &text);

QByteArray compact(const QJsonObject &object);

// Building an object as JSON text and parsing it once is several times cheaper than growing a
// QJsonObject key by key (every insert searches, detaches and reallocates): the controllers'
// hot paths (events, pod status) do that. `appendString` writes a quoted, escaped string;
// `appendField` writes `"key":"value",`.
void appendString(QByteArray &out, QStringView text);
void appendField(QByteArray &out, const char *key, QStringView value);
// Parses such text as an object (an empty object if the text is not one).
QJsonObject parseObject(const QByteArray &text);

} // namespace rollscope::sim::json
