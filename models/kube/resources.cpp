// SPDX-License-Identifier: MIT
#include "kube/resources.h"

#include "apimachinery/duration.h"
#include "apimachinery/labels.h"
#include "kube/fastjson.h"

#include <QJsonArray>
#include <QSet>

#include <algorithm>
#include <array>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

namespace rollscope::kube {

namespace {

// The decoders of the kinds watched at scale (pods, events) are templates over the JSON tree:
// QJsonObject, or fastjson::Object for watch events (see fastjson.h).
template<class O>
auto obj(const O &o, QStringView key)
{
    return o.value(key).toObject();
}

template<class O>
QString str(const O &o, QStringView key)
{
    return o.value(key).toString();
}

template<class O>
int integer(const O &o, QStringView key, int fallback = 0)
{
    const auto v = o.value(key);
    return v.isDouble() ? static_cast<int>(v.toInteger(fallback)) : fallback;
}

// The values of several keys of an object, as value() of each; for simdjson's tree in one pass
// over its members (fastjson::Object::values()).
template<class O, size_t N>
auto fields(const O &o, const QStringView (&keys)[N])
{
    std::array<decltype(o.value(QStringView())), N> values;
    if constexpr (std::is_same_v<O, fastjson::Object>) {
        o.values(keys, values.data(), N);
    } else {
        for (size_t i = 0; i < N; ++i)
            values[i] = o.value(keys[i]);
    }
    return values;
}

// Whether `value` is the string `literal` (ASCII), as value.toString() == literal: for
// simdjson's tree from its bytes, without building a QString.
template<class V>
bool valueIs(const V &value, QLatin1StringView literal)
{
    if constexpr (std::is_same_v<V, fastjson::Value>)
        return value.utf8() == std::string_view(literal.data(), size_t(literal.size()));
    else
        return value.toString() == literal;
}

template<class V>
int intOf(const V &value, int fallback = 0)
{
    return value.isDouble() ? static_cast<int>(value.toInteger(fallback)) : fallback;
}

// The object of a watch event's line (empty when the line is not one: WatchLineParser checked).
fastjson::Object watchLineObject(QByteArrayView line)
{
    const std::optional<fastjson::Value> root = fastjson::parse(line);
    return root ? root->toObject().value(u"object").toObject() : fastjson::Object();
}

// "2024-05-01T10:00:00Z", how the API server writes every metav1.Time, read without
// QDateTime::fromString (a pod carries several; parsing them was a fifth of decoding one).
// Anything else (fractions, offsets, odd values) is left to Qt: nullopt.
std::optional<QDateTime> plainUtcTimestamp(QStringView text)
{
    if (text.size() != 20 || text[4] != u'-' || text[7] != u'-' || text[10] != u'T' ||
        text[13] != u':' || text[16] != u':' || text[19] != u'Z')
        return std::nullopt;
    int fields[6] = {};
    const int starts[6] = {0, 5, 8, 11, 14, 17};
    const int lengths[6] = {4, 2, 2, 2, 2, 2};
    for (int f = 0; f < 6; ++f) {
        for (int i = starts[f]; i < starts[f] + lengths[f]; ++i) {
            const char16_t c = text[i].unicode();
            if (c < u'0' || c > u'9')
                return std::nullopt;
            fields[f] = fields[f] * 10 + (c - u'0');
        }
    }
    const QDate date(fields[0], fields[1], fields[2]);
    const QTime time(fields[3], fields[4], fields[5]);
    if (!date.isValid() || !time.isValid())
        return std::nullopt; // Qt's own reading decides (it takes 24:00:00, for one)
    return QDateTime(date, time, Qt::UTC);
}

// Values that repeat across pods (namespace, owner, node, phase, images, label keys and
// values) shared between them rather than allocated for each: a cached pod keeps less (see
// tests/bench/bench_decode). Per thread, bounded; a string the pool forgot is only not shared.
QString shared(QString text)
{
    thread_local QSet<QString> pool;
    if (text.isEmpty() || text.size() > 253)
        return text;
    if (const auto it = pool.constFind(text); it != pool.cend())
        return *it;
    if (pool.size() >= 16384)
        pool.clear();
    pool.insert(text);
    return text;
}

// The label sets of the last ReplicaSets seen.
QList<Labels> &labelSetPool()
{
    thread_local QList<Labels> pool;
    return pool;
}

void rememberLabelSet(const Labels &labels)
{
    QList<Labels> &pool = labelSetPool();
    if (pool.size() >= 16)
        pool.removeFirst();
    pool.append(labels);
}

Labels sharedLabels(const Labels &labels)
{
    for (const Labels &known : std::as_const(labelSetPool())) {
        if (known == labels)
            return known;
    }
    Labels copy;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        copy.insert(shared(it.key()), shared(it.value()));
    rememberLabelSet(copy);
    return copy;
}

bool isPlainAscii(std::string_view bytes)
{
    for (const char c : bytes) {
        if (static_cast<unsigned char>(c) >= 0x80)
            return false;
    }
    return true;
}

// shared() for the strings of simdjson's tree, found by their UTF-8 bytes: a value seen before
// costs a hash and a compare, not a QString built, hashed and freed again. Per thread, bounded
// (a fixed table; a slot's neighbourhood is searched, and when it is full a string replaces one
// there), ASCII strings of up to 253 bytes: others are built as toString() does. A string the
// pool forgot is only not shared: the value is the same either way.
class Utf8Pool
{
public:
    QString get(std::string_view utf8)
    {
        if (utf8.empty() || utf8.size() > kMaxBytes)
            return fromUtf8(utf8);
        const std::optional<quint64> hash = asciiHash(utf8);
        if (!hash)
            return fromUtf8(utf8);
        if (m_slots.empty())
            m_slots.resize(kSlots);
        const size_t home = size_t(*hash) & (kSlots - 1);
        Slot *empty = nullptr;
        for (size_t i = 0; i < kNeighbourhood; ++i) {
            Slot &slot = m_slots[(home + i) & (kSlots - 1)];
            if (slot.text.isNull()) {
                if (!empty)
                    empty = &slot;
                continue;
            }
            if (slot.hash == *hash && equalsAscii(slot.text, utf8))
                return slot.text;
        }
        Slot &chosen = empty ? *empty : m_slots[(home + (*hash >> 59)) & (kSlots - 1)];
        chosen.hash = *hash;
        chosen.text = fromUtf8(utf8);
        return chosen.text;
    }

    static bool equalsAscii(const QString &text, std::string_view ascii)
    {
        if (text.size() != qsizetype(ascii.size()))
            return false;
        const QChar *chars = text.constData();
        for (size_t i = 0; i < ascii.size(); ++i) {
            if (chars[i].unicode() != char16_t(static_cast<unsigned char>(ascii[i])))
                return false;
        }
        return true;
    }

    static QString fromUtf8(std::string_view utf8)
    {
        return QString::fromUtf8(utf8.data(), qsizetype(utf8.size()));
    }

private:
    static constexpr size_t kSlots = 4096; // a power of two
    static constexpr size_t kNeighbourhood = 32;
    static constexpr size_t kMaxBytes = 253;

    struct Slot
    {
        quint64 hash = 0;
        QString text; // null: free
    };

    // A hash of the bytes, eight at a time; nullopt when one is not ASCII.
    static std::optional<quint64> asciiHash(std::string_view bytes)
    {
        constexpr quint64 kMultiplier = 0x9E3779B97F4A7C15ull;
        quint64 hash = bytes.size() * kMultiplier;
        quint64 highBits = 0;
        size_t at = 0;
        for (; at + 8 <= bytes.size(); at += 8) {
            quint64 word;
            std::memcpy(&word, bytes.data() + at, 8);
            highBits |= word;
            hash = (hash ^ word) * kMultiplier;
            hash ^= hash >> 29;
        }
        quint64 word = 0;
        std::memcpy(&word, bytes.data() + at, bytes.size() - at);
        highBits |= word;
        hash = (hash ^ word) * kMultiplier;
        hash ^= hash >> 32;
        if (highBits & 0x8080808080808080ull)
            return std::nullopt;
        return hash;
    }

    std::vector<Slot> m_slots;
};

Utf8Pool &utf8Pool()
{
    thread_local Utf8Pool pool;
    return pool;
}

// shared(value.toString()); simdjson's strings are found in the pool by their bytes.
template<class V>
QString sharedValue(const V &value)
{
    if constexpr (std::is_same_v<V, fastjson::Value>)
        return value.isString() ? utf8Pool().get(value.utf8()) : QString();
    else
        return shared(value.toString());
}

// "2024-05-01T10:00:00Z" read from simdjson's bytes without building a QString first; any other
// text as timestamp() reads it.
std::optional<QDateTime> plainUtcTimestamp(std::string_view bytes)
{
    if (bytes.size() != 20)
        return std::nullopt;
    std::array<char16_t, 20> chars;
    for (size_t i = 0; i < bytes.size(); ++i)
        chars[i] = char16_t(static_cast<unsigned char>(bytes[i])); // not ASCII: not plain
    return plainUtcTimestamp(QStringView(chars.data(), qsizetype(chars.size())));
}

template<class V>
QDateTime timestamp(const V &value)
{
    if constexpr (std::is_same_v<V, fastjson::Value>) {
        if (const std::optional<QDateTime> plain = plainUtcTimestamp(value.utf8()))
            return *plain;
    }
    const QString text = value.toString();
    if (text.isEmpty())
        return {};
    if (const std::optional<QDateTime> plain = plainUtcTimestamp(text))
        return *plain;
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!time.isValid())
        return {};
    return time.toUTC();
}

qint64 integer64(const QJsonObject &o, QStringView key)
{
    return o.value(key).toInteger(0);
}

std::optional<int> optionalInt(const QJsonObject &o, QStringView key)
{
    const QJsonValue v = o.value(key);
    if (!v.isDouble())
        return std::nullopt;
    return static_cast<int>(v.toInteger());
}

template<class V>
Labels stringMap(const V &value)
{
    Labels map;
    const auto o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it)
        map.insert(it.key(), it.value().toString());
    return map;
}

// The pod's labels as sharedLabels(stringMap(value)) gives them. For simdjson's tree, a set of
// plain ASCII strings (what label keys and values are) is compared with the pooled sets by its
// bytes, and only built when it is new; anything else takes the general way.
Labels sharedLabelsOf(const QJsonValue &value)
{
    return sharedLabels(stringMap(value));
}

Labels sharedLabelsOf(const fastjson::Value &value)
{
    struct Pair
    {
        std::string_view key;
        std::string_view value;
    };
    constexpr size_t kMaxLabels = 32;
    std::array<Pair, kMaxLabels> pairs;
    size_t count = 0;
    const fastjson::Object object = value.toObject();
    bool plain = true;
    for (auto it = object.begin(); it != object.end() && plain; ++it) {
        const fastjson::Value v = it.value();
        const std::string_view key = it.keyUtf8();
        const std::string_view text = v.utf8();
        plain = count < kMaxLabels && v.isString() && !key.empty() && !text.empty() &&
                isPlainAscii(key) && isPlainAscii(text);
        if (plain)
            pairs[count++] = {key, text};
    }
    if (!plain)
        return sharedLabels(stringMap(value));
    // As a QMap orders them (QString's order is the bytes' for ASCII); of duplicate keys the
    // last one counts.
    std::stable_sort(pairs.begin(), pairs.begin() + count,
                     [](const Pair &a, const Pair &b) { return a.key < b.key; });
    size_t unique = 0;
    for (size_t i = 0; i < count; ++i) {
        if (unique > 0 && pairs[unique - 1].key == pairs[i].key)
            pairs[unique - 1] = pairs[i];
        else
            pairs[unique++] = pairs[i];
    }
    QList<Labels> &pool = labelSetPool();
    for (const Labels &known : std::as_const(pool)) {
        if (known.size() != qsizetype(unique))
            continue;
        size_t i = 0;
        auto it = known.cbegin();
        for (; i < unique; ++i, ++it) {
            if (!Utf8Pool::equalsAscii(it.key(), pairs[i].key) ||
                !Utf8Pool::equalsAscii(it.value(), pairs[i].value))
                break;
        }
        if (i == unique)
            return known;
    }
    Labels labels;
    Utf8Pool &strings = utf8Pool();
    for (size_t i = 0; i < unique; ++i)
        labels.insert(labels.cend(), strings.get(pairs[i].key), strings.get(pairs[i].value));
    rememberLabelSet(labels);
    return labels;
}

std::optional<int> annotationInt(const QJsonObject &annotations, QLatin1StringView key)
{
    const QJsonValue v = annotations.value(key);
    if (!v.isString())
        return std::nullopt;
    bool ok = false;
    const int n = v.toString().toInt(&ok);
    return ok ? std::optional<int>(n) : std::nullopt;
}

qint64 revisionOf(const QJsonObject &annotations)
{
    bool ok = false;
    const qint64 n = annotations.value(keys::kRevision).toString().toLongLong(&ok);
    return ok ? n : 0;
}

template<class V>
QList<ContainerImage> containerImages(const V &containers)
{
    QList<ContainerImage> result;
    for (const auto &c : containers.toArray()) {
        const auto [name, image] = fields(c.toObject(), {u"name", u"image"});
        result.append({sharedValue(name), sharedValue(image)});
    }
    return result;
}

QList<Condition> parseConditions(const QJsonValue &value)
{
    QList<Condition> result;
    for (const QJsonValue &c : value.toArray()) {
        const QJsonObject o = c.toObject();
        Condition condition;
        condition.type = str(o, u"type");
        condition.status = str(o, u"status");
        condition.reason = str(o, u"reason");
        condition.message = str(o, u"message");
        condition.lastUpdateTime = parseTimestamp(o.value(u"lastUpdateTime"));
        condition.lastTransitionTime = parseTimestamp(o.value(u"lastTransitionTime"));
        result.append(condition);
    }
    return result;
}

struct Owner
{
    QString kind;
    QString name;
    QString uid;
};

// The first of metadata.ownerReferences with controller true; an empty object when there is
// none.
template<class V>
auto controllerReference(const V &ownerReferences)
{
    for (const auto &ref : ownerReferences.toArray()) {
        const auto o = ref.toObject();
        if (o.value(u"controller").toBool())
            return o;
    }
    return decltype(ownerReferences.toObject())();
}

Owner controllerOf(const QJsonObject &metadata)
{
    const QJsonObject o = controllerReference(metadata.value(u"ownerReferences"));
    return {str(o, u"kind"), str(o, u"name"), str(o, u"uid")};
}

QString joined(const QList<ContainerImage> &containers, bool images)
{
    QStringList parts;
    for (const ContainerImage &c : containers)
        parts.append(images ? c.image : c.name);
    return parts.join(u',');
}

QString keyOf(const QString &ns, const QString &name)
{
    return ns.isEmpty() ? name : ns + u'/' + name;
}

template<class O>
ContainerStatusInfo containerStatus(const O &o)
{
    ContainerStatusInfo s;
    const auto [name, image, ready, started, restartCount, state, lastState] = fields(
        o, {u"name", u"image", u"ready", u"started", u"restartCount", u"state", u"lastState"});
    s.name = sharedValue(name);
    s.image = sharedValue(image);
    s.ready = ready.toBool();
    if (started.isBool())
        s.started = started.toBool();
    s.restartCount = intOf(restartCount);
    // The first state present counts (value() of a missing key is undefined).
    const auto [waiting, running, terminated] =
        fields(state.toObject(), {u"waiting", u"running", u"terminated"});
    if (!waiting.isUndefined()) {
        const auto [reason, message] = fields(waiting.toObject(), {u"reason", u"message"});
        s.state = ContainerStatusInfo::State::Waiting;
        s.reason = reason.toString();
        s.message = message.toString();
    } else if (!running.isUndefined()) {
        s.state = ContainerStatusInfo::State::Running;
        s.startedAt = timestamp(running.toObject().value(u"startedAt"));
    } else if (!terminated.isUndefined()) {
        const auto [reason, message, exitCode, signal, startedAt, finishedAt] =
            fields(terminated.toObject(),
                   {u"reason", u"message", u"exitCode", u"signal", u"startedAt", u"finishedAt"});
        s.state = ContainerStatusInfo::State::Terminated;
        s.reason = reason.toString();
        s.message = message.toString();
        s.exitCode = intOf(exitCode);
        s.signal = intOf(signal);
        s.startedAt = timestamp(startedAt);
        s.finishedAt = timestamp(finishedAt);
    }
    const auto last = lastState.toObject().value(u"terminated").toObject();
    if (!last.isEmpty()) {
        const auto [finishedAt, reason, exitCode] =
            fields(last, {u"finishedAt", u"reason", u"exitCode"});
        s.lastTerminatedFinishedAt = timestamp(finishedAt);
        s.lastTerminatedReason = reason.toString();
        s.lastTerminatedExitCode = intOf(exitCode);
    }
    return s;
}

bool isTerminalPhase(const QString &phase)
{
    return phase == u"Succeeded" || phase == u"Failed";
}

// What kubectl's status columns read from the pod's JSON besides its values, gathered while it
// is decoded.
struct PodJsonFacts
{
    int containerSpecs = 0;
    qsizetype initContainerSpecs = 0;
    int restartableInitContainerSpecs = 0; // restartPolicy Always: sidecars
    bool schedulingGated = false;          // a PodScheduled condition with reason SchedulingGated
    bool initializedTrue = false;          // an Initialized condition with status True
    bool readyConditionTrue = false;       // a Ready condition with status True
};

// kubectl's printPod (pkg/printers/internalversion/printers.go): READY, STATUS and RESTARTS
// columns, including sidecars (restartable init containers), Init:N/M, and Terminating.
void computeKubectlStatus(PodInfo &pod, const PodJsonFacts &facts)
{
    int restarts = 0;
    int restartableRestarts = 0;
    int readyContainers = 0;
    const int totalContainers = facts.containerSpecs + facts.restartableInitContainerSpecs;
    QDateTime lastRestart;
    QDateTime lastRestartableRestart;

    QString reason = pod.phase;
    if (!pod.reason.isEmpty())
        reason = pod.reason;
    if (facts.schedulingGated)
        reason = QStringLiteral("SchedulingGated");

    bool initializing = false;
    for (qsizetype i = 0; i < pod.initContainers.size(); ++i) {
        const ContainerStatusInfo &c = pod.initContainers.at(i);
        restarts += c.restartCount;
        if (c.lastTerminatedFinishedAt.isValid() &&
            (!lastRestart.isValid() || lastRestart < c.lastTerminatedFinishedAt))
            lastRestart = c.lastTerminatedFinishedAt;
        if (c.restartable) {
            restartableRestarts += c.restartCount;
            if (c.lastTerminatedFinishedAt.isValid() &&
                (!lastRestartableRestart.isValid() ||
                 lastRestartableRestart < c.lastTerminatedFinishedAt))
                lastRestartableRestart = c.lastTerminatedFinishedAt;
        }
        const bool terminated = c.state == ContainerStatusInfo::State::Terminated;
        if (terminated && c.exitCode == 0)
            continue;
        if (c.restartable && c.started.value_or(false)) {
            if (c.ready)
                ++readyContainers;
            continue;
        }
        if (terminated) {
            if (c.reason.isEmpty()) {
                reason = c.signal != 0 ? QStringLiteral("Init:Signal:%1").arg(c.signal)
                                       : QStringLiteral("Init:ExitCode:%1").arg(c.exitCode);
            } else {
                reason = QStringLiteral("Init:") + c.reason;
            }
        } else if (c.state == ContainerStatusInfo::State::Waiting && !c.reason.isEmpty() &&
                   c.reason != u"PodInitializing") {
            reason = QStringLiteral("Init:") + c.reason;
        } else {
            reason = QStringLiteral("Init:%1/%2").arg(i).arg(facts.initContainerSpecs);
        }
        initializing = true;
        break;
    }

    if (!initializing || facts.initializedTrue) {
        restarts = restartableRestarts;
        lastRestart = lastRestartableRestart;
        bool hasRunning = false;
        for (qsizetype i = pod.containers.size() - 1; i >= 0; --i) {
            const ContainerStatusInfo &c = pod.containers.at(i);
            restarts += c.restartCount;
            if (c.lastTerminatedFinishedAt.isValid() &&
                (!lastRestart.isValid() || lastRestart < c.lastTerminatedFinishedAt))
                lastRestart = c.lastTerminatedFinishedAt;
            if (c.state == ContainerStatusInfo::State::Waiting && !c.reason.isEmpty()) {
                reason = c.reason;
            } else if (c.state == ContainerStatusInfo::State::Terminated && !c.reason.isEmpty()) {
                reason = c.reason;
            } else if (c.state == ContainerStatusInfo::State::Terminated) {
                reason = c.signal != 0 ? QStringLiteral("Signal:%1").arg(c.signal)
                                       : QStringLiteral("ExitCode:%1").arg(c.exitCode);
            } else if (c.ready && c.state == ContainerStatusInfo::State::Running) {
                hasRunning = true;
                ++readyContainers;
            }
        }
        if (reason == u"Completed" && hasRunning)
            reason =
                facts.readyConditionTrue ? QStringLiteral("Running") : QStringLiteral("NotReady");
    }

    if (pod.deletionTimestamp.isValid() && pod.reason == u"NodeLost")
        reason = QStringLiteral("Unknown");
    else if (pod.deletionTimestamp.isValid() && !isTerminalPhase(pod.phase))
        reason = QStringLiteral("Terminating");

    pod.readyContainers = readyContainers;
    pod.totalContainers = totalContainers;
    pod.restarts = restarts;
    pod.lastRestart = restarts != 0 ? lastRestart : QDateTime();
    // (The phase is shared already.)
    pod.statusText = reason.constData() == pod.phase.constData() ? reason : shared(reason);
}

} // namespace

QDateTime parseTimestamp(const QJsonValue &value)
{
    return timestamp(value);
}

QString objectKey(const QJsonObject &object)
{
    const QJsonObject metadata = obj(object, u"metadata");
    return keyOf(str(metadata, u"namespace"), str(metadata, u"name"));
}

// --- LabelSelectorInfo ---------------------------------------------------------------------------

LabelSelectorInfo LabelSelectorInfo::fromJson(const QJsonValue &value)
{
    LabelSelectorInfo s;
    if (!value.isObject())
        return s;
    s.present = true;
    const QJsonObject o = value.toObject();
    s.matchLabels = stringMap(o.value(u"matchLabels"));
    for (const QJsonValue &e : o.value(u"matchExpressions").toArray()) {
        const QJsonObject r = e.toObject();
        Requirement requirement;
        requirement.key = str(r, u"key");
        requirement.op = str(r, u"operator");
        for (const QJsonValue &v : r.value(u"values").toArray())
            requirement.values.append(v.toString());
        s.matchExpressions.append(requirement);
    }
    return s;
}

namespace {

// As apimachinery's selector; nullopt when an operator is unknown.
std::optional<apimachinery::LabelSelector>
selectorOf(const Labels &matchLabels, const QList<LabelSelectorInfo::Requirement> &expressions)
{
    using Selector = apimachinery::LabelSelector;
    QList<Selector::Requirement> requirements;
    for (auto it = matchLabels.cbegin(); it != matchLabels.cend(); ++it)
        requirements.append({it.key(), Selector::Op::Equals, {it.value()}});
    for (const LabelSelectorInfo::Requirement &r : expressions) {
        const std::optional<Selector::Op> op = Selector::operatorNamed(r.op);
        if (!op)
            return std::nullopt;
        requirements.append({r.key, *op, r.values});
    }
    return Selector(std::move(requirements));
}

// kubectl's FormatLabelSelector prints "<error>" for a selector it cannot convert.
QString selectorText(const std::optional<apimachinery::LabelSelector> &selector)
{
    return selector ? selector->toString() : QStringLiteral("<error>");
}

} // namespace

QString LabelSelectorInfo::expressionsString() const
{
    return selectorText(selectorOf({}, matchExpressions));
}

QString LabelSelectorInfo::toString() const
{
    return selectorText(selectorOf(matchLabels, matchExpressions));
}

bool LabelSelectorInfo::matches(const Labels &labels) const
{
    if (!present)
        return false;
    const std::optional<apimachinery::LabelSelector> selector =
        selectorOf(matchLabels, matchExpressions);
    return selector && selector->matches(labels);
}

// --- DeploymentInfo ------------------------------------------------------------------------------

DeploymentInfo DeploymentInfo::fromJson(const QJsonObject &object)
{
    DeploymentInfo d;
    const QJsonObject metadata = obj(object, u"metadata");
    const QJsonObject annotations = obj(metadata, u"annotations");
    const QJsonObject spec = obj(object, u"spec");
    const QJsonObject status = obj(object, u"status");
    const QJsonObject podTemplate = obj(spec, u"template");
    const QJsonObject podSpec = obj(podTemplate, u"spec");

    d.ns = str(metadata, u"namespace");
    d.name = str(metadata, u"name");
    d.uid = str(metadata, u"uid");
    d.generation = integer64(metadata, u"generation");
    d.labels = stringMap(metadata.value(u"labels"));
    d.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    d.deletionTimestamp = parseTimestamp(metadata.value(u"deletionTimestamp"));
    d.revision = revisionOf(annotations);
    d.changeCause = annotations.value(keys::kChangeCause).toString();

    d.selector = LabelSelectorInfo::fromJson(spec.value(u"selector"));
    d.replicas = integer(spec, u"replicas", 1);
    const QJsonObject strategy = obj(spec, u"strategy");
    d.strategy.type = strategy.value(u"type").toString(QStringLiteral("RollingUpdate"));
    const QJsonObject rolling = obj(strategy, u"rollingUpdate");
    if (d.strategy.type == u"RollingUpdate") {
        // The API defaults both to 25%; an older or hand-made object may leave them out.
        d.strategy.maxSurge = rolling.contains(u"maxSurge")
                                  ? IntOrString::fromJson(rolling.value(u"maxSurge"))
                                  : IntOrString::fromString(QStringLiteral("25%"));
        d.strategy.maxUnavailable = rolling.contains(u"maxUnavailable")
                                        ? IntOrString::fromJson(rolling.value(u"maxUnavailable"))
                                        : IntOrString::fromString(QStringLiteral("25%"));
    }
    d.minReadySeconds = integer(spec, u"minReadySeconds");
    d.progressDeadlineSeconds = optionalInt(spec, u"progressDeadlineSeconds");
    d.revisionHistoryLimit = optionalInt(spec, u"revisionHistoryLimit");
    d.paused = spec.value(u"paused").toBool();
    d.containers = containerImages(podSpec.value(u"containers"));
    d.initContainers = containerImages(podSpec.value(u"initContainers"));
    const QJsonObject templateMeta = obj(podTemplate, u"metadata");
    d.templateLabels = stringMap(templateMeta.value(u"labels"));
    d.templateRestartedAt = obj(templateMeta, u"annotations").value(keys::kRestartedAt).toString();

    d.observedGeneration = integer64(status, u"observedGeneration");
    d.status.replicas = integer(status, u"replicas");
    d.status.updatedReplicas = integer(status, u"updatedReplicas");
    d.status.readyReplicas = integer(status, u"readyReplicas");
    d.status.availableReplicas = integer(status, u"availableReplicas");
    d.status.unavailableReplicas = integer(status, u"unavailableReplicas");
    d.status.terminatingReplicas = optionalInt(status, u"terminatingReplicas");
    d.conditions = parseConditions(status.value(u"conditions"));
    d.collisionCount = optionalInt(status, u"collisionCount");
    return d;
}

QString DeploymentInfo::key() const
{
    return keyOf(ns, name);
}

std::optional<Condition> DeploymentInfo::condition(const QString &type) const
{
    for (const Condition &c : conditions) {
        if (c.type == type)
            return c;
    }
    return std::nullopt;
}

QString DeploymentInfo::imagesText() const
{
    return joined(containers, true);
}

QString DeploymentInfo::containerNamesText() const
{
    return joined(containers, false);
}

// --- ReplicaSetInfo ------------------------------------------------------------------------------

ReplicaSetInfo ReplicaSetInfo::fromJson(const QJsonObject &object)
{
    ReplicaSetInfo r;
    const QJsonObject metadata = obj(object, u"metadata");
    const QJsonObject annotations = obj(metadata, u"annotations");
    const QJsonObject spec = obj(object, u"spec");
    const QJsonObject status = obj(object, u"status");
    const QJsonObject podTemplate = obj(spec, u"template");

    r.ns = str(metadata, u"namespace");
    r.name = str(metadata, u"name");
    r.uid = str(metadata, u"uid");
    const Owner owner = controllerOf(metadata);
    r.ownerKind = owner.kind;
    r.ownerName = owner.name;
    r.ownerUid = owner.uid;
    r.revision = revisionOf(annotations);
    r.revisionHistory = annotations.value(keys::kRevisionHistory).toString();
    r.changeCause = annotations.value(keys::kChangeCause).toString();
    r.desiredReplicasAnnotation = annotationInt(annotations, keys::kDesiredReplicas);
    r.maxReplicasAnnotation = annotationInt(annotations, keys::kMaxReplicas);
    r.labels = stringMap(metadata.value(u"labels"));
    r.podTemplateHash = r.labels.value(keys::kPodTemplateHash);
    if (r.podTemplateHash.isEmpty())
        r.podTemplateHash =
            stringMap(obj(podTemplate, u"metadata").value(u"labels")).value(keys::kPodTemplateHash);
    r.selector = LabelSelectorInfo::fromJson(spec.value(u"selector"));
    r.containers = containerImages(obj(podTemplate, u"spec").value(u"containers"));
    r.generation = integer64(metadata, u"generation");
    r.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    r.deletionTimestamp = parseTimestamp(metadata.value(u"deletionTimestamp"));

    r.desired = integer(spec, u"replicas", 1);
    r.current = integer(status, u"replicas");
    r.ready = integer(status, u"readyReplicas");
    r.available = integer(status, u"availableReplicas");
    r.observedGeneration = integer64(status, u"observedGeneration");
    return r;
}

QString ReplicaSetInfo::key() const
{
    return keyOf(ns, name);
}

QString ReplicaSetInfo::imagesText() const
{
    return joined(containers, true);
}

// --- PodInfo -------------------------------------------------------------------------------------

namespace {

template<class O>
PodInfo decodePod(const O &object)
{
    PodInfo p;
    PodJsonFacts facts;
    const auto [metadata, spec, status] = fields(object, {u"metadata", u"spec", u"status"});

    const auto [ns, name, uid, ownerReferences, labels, created, deleted] =
        fields(metadata.toObject(), {u"namespace", u"name", u"uid", u"ownerReferences", u"labels",
                                     u"creationTimestamp", u"deletionTimestamp"});
    p.ns = sharedValue(ns);
    p.name = name.toString();
    p.uid = uid.toString();
    const auto [ownerKind, ownerName, ownerUid] =
        fields(controllerReference(ownerReferences), {u"kind", u"name", u"uid"});
    p.ownerKind = sharedValue(ownerKind);
    p.ownerName = sharedValue(ownerName);
    p.ownerUid = ownerUid.toString();
    p.labels = sharedLabelsOf(labels);
    p.podTemplateHash = p.labels.value(keys::kPodTemplateHash);
    p.creationTimestamp = timestamp(created);
    p.deletionTimestamp = timestamp(deleted);

    const auto [nodeName, containers, initContainers] =
        fields(spec.toObject(), {u"nodeName", u"containers", u"initContainers"});
    p.node = sharedValue(nodeName);
    p.specContainers = containerImages(containers);
    facts.containerSpecs = static_cast<int>(p.specContainers.size());

    const auto [phase, reason, message, podIP, podIPs, startTime, conditions, initStatuses,
                statuses] =
        fields(status.toObject(),
               {u"phase", u"reason", u"message", u"podIP", u"podIPs", u"startTime", u"conditions",
                u"initContainerStatuses", u"containerStatuses"});
    p.phase = sharedValue(phase);
    p.reason = reason.toString();
    p.message = message.toString();
    p.podIP = podIP.toString();
    if (p.podIP.isEmpty()) {
        const auto ips = podIPs.toArray();
        if (!ips.isEmpty())
            p.podIP = str(ips.first().toObject(), u"ip");
    }
    p.startTime = timestamp(startTime);
    for (const auto &c : conditions.toArray()) {
        const auto [type, conditionStatus, conditionReason, transition] =
            fields(c.toObject(), {u"type", u"status", u"reason", u"lastTransitionTime"});
        const bool isTrue = valueIs(conditionStatus, QLatin1StringView("True"));
        if (valueIs(type, QLatin1StringView("Ready"))) {
            p.ready = isTrue;
            p.readyTransitionTime = timestamp(transition);
            facts.readyConditionTrue = facts.readyConditionTrue || isTrue;
        } else if (valueIs(type, QLatin1StringView("ContainersReady"))) {
            p.containersReady = isTrue;
            p.containersReadyTransitionTime = timestamp(transition);
        } else if (valueIs(type, QLatin1StringView("Initialized"))) {
            facts.initializedTrue = facts.initializedTrue || isTrue;
        } else if (valueIs(type, QLatin1StringView("PodScheduled"))) {
            facts.schedulingGated = facts.schedulingGated ||
                                    valueIs(conditionReason, QLatin1StringView("SchedulingGated"));
        }
    }

    QStringList restartable;
    const auto initSpecs = initContainers.toArray();
    facts.initContainerSpecs = initSpecs.size();
    for (const auto &c : initSpecs) {
        const auto [restartPolicy, initName] = fields(c.toObject(), {u"restartPolicy", u"name"});
        if (valueIs(restartPolicy, QLatin1StringView("Always")))
            restartable.append(initName.toString());
    }
    facts.restartableInitContainerSpecs = static_cast<int>(restartable.size());
    for (const auto &c : initStatuses.toArray()) {
        ContainerStatusInfo s = containerStatus(c.toObject());
        s.restartable = restartable.contains(s.name);
        p.initContainers.append(s);
    }
    for (const auto &c : statuses.toArray())
        p.containers.append(containerStatus(c.toObject()));

    computeKubectlStatus(p, facts);
    return p;
}

} // namespace

PodInfo PodInfo::fromJson(const QJsonObject &object)
{
    return decodePod(object);
}

PodInfo PodInfo::fromJson(const fastjson::Object &object)
{
    return decodePod(object);
}

PodInfo PodInfo::fromWatchLine(QByteArrayView line)
{
    return fromJson(watchLineObject(line));
}

QString PodInfo::key() const
{
    return keyOf(ns, name);
}

QString PodInfo::readyText() const
{
    return QStringLiteral("%1/%2").arg(readyContainers).arg(totalContainers);
}

QString PodInfo::restartsText(const QDateTime &now) const
{
    if (restarts == 0 || !lastRestart.isValid())
        return QString::number(restarts);
    return QStringLiteral("%1 (%2 ago)")
        .arg(restarts)
        .arg(apimachinery::humanDuration(lastRestart.msecsTo(now)));
}

// --- ServiceInfo ---------------------------------------------------------------------------------

ServiceInfo ServiceInfo::fromJson(const QJsonObject &object)
{
    ServiceInfo s;
    const QJsonObject metadata = obj(object, u"metadata");
    const QJsonObject spec = obj(object, u"spec");
    s.ns = str(metadata, u"namespace");
    s.name = str(metadata, u"name");
    s.uid = str(metadata, u"uid");
    s.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    s.type = spec.value(u"type").toString(QStringLiteral("ClusterIP"));
    s.selector = stringMap(spec.value(u"selector"));
    s.clusterIP = str(spec, u"clusterIP");
    for (const QJsonValue &ip : spec.value(u"externalIPs").toArray())
        s.externalIPs.append(ip.toString());
    for (const QJsonValue &p : spec.value(u"ports").toArray()) {
        const QJsonObject o = p.toObject();
        Port port;
        port.name = str(o, u"name");
        port.port = integer(o, u"port");
        port.targetPort = o.contains(u"targetPort") ? IntOrString::fromJson(o.value(u"targetPort"))
                                                    : IntOrString::fromInt(port.port);
        port.nodePort = integer(o, u"nodePort");
        port.protocol = o.value(u"protocol").toString(QStringLiteral("TCP"));
        s.ports.append(port);
    }
    const QJsonArray ingress =
        obj(obj(object, u"status"), u"loadBalancer").value(u"ingress").toArray();
    for (const QJsonValue &i : ingress) {
        const QJsonObject o = i.toObject();
        const QString ip = str(o, u"ip");
        s.loadBalancerIngress.append(ip.isEmpty() ? str(o, u"hostname") : ip);
    }
    return s;
}

QString ServiceInfo::key() const
{
    return keyOf(ns, name);
}

// --- EndpointSliceInfo ---------------------------------------------------------------------------

EndpointSliceInfo EndpointSliceInfo::fromJson(const QJsonObject &object)
{
    EndpointSliceInfo s;
    const QJsonObject metadata = obj(object, u"metadata");
    s.ns = str(metadata, u"namespace");
    s.name = str(metadata, u"name");
    s.uid = str(metadata, u"uid");
    s.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    s.serviceName = stringMap(metadata.value(u"labels")).value(keys::kServiceName);
    s.addressType = str(object, u"addressType");
    for (const QJsonValue &e : object.value(u"endpoints").toArray()) {
        const QJsonObject o = e.toObject();
        Endpoint endpoint;
        for (const QJsonValue &a : o.value(u"addresses").toArray())
            endpoint.addresses.append(a.toString());
        const QJsonObject conditions = obj(o, u"conditions");
        // Unset ready/serving mean "unknown", which consumers treat as ready (API docs).
        endpoint.ready = conditions.value(u"ready").toBool(true);
        endpoint.serving = conditions.value(u"serving").toBool(endpoint.ready);
        endpoint.terminating = conditions.value(u"terminating").toBool(false);
        const QJsonObject target = obj(o, u"targetRef");
        if (str(target, u"kind") == u"Pod") {
            endpoint.podName = str(target, u"name");
            endpoint.podUid = str(target, u"uid");
        }
        endpoint.node = str(o, u"nodeName");
        s.endpoints.append(endpoint);
    }
    for (const QJsonValue &p : object.value(u"ports").toArray()) {
        const QJsonObject o = p.toObject();
        s.ports.append({str(o, u"name"), integer(o, u"port"),
                        o.value(u"protocol").toString(QStringLiteral("TCP"))});
    }
    return s;
}

QString EndpointSliceInfo::key() const
{
    return keyOf(ns, name);
}

// --- EventInfo -----------------------------------------------------------------------------------

namespace {

template<class O>
EventInfo decodeEvent(const O &object)
{
    // Shared: what repeats across events (a pod's name and uid are in each of its four or five
    // events); a namespace with a 5,000-replica rollout keeps 50,000 of them.
    EventInfo e;
    const auto metadata = obj(object, u"metadata");
    e.ns = sharedValue(metadata.value(u"namespace"));
    e.name = str(metadata, u"name");
    e.uid = str(metadata, u"uid");
    e.creationTimestamp = timestamp(metadata.value(u"creationTimestamp"));
    const auto involved = obj(object, u"involvedObject");
    e.involvedKind = sharedValue(involved.value(u"kind"));
    e.involvedName = sharedValue(involved.value(u"name"));
    e.type = sharedValue(object.value(u"type"));
    e.reason = sharedValue(object.value(u"reason"));
    // Most messages repeat ("Started container demo"); only a few name their pod.
    e.message = sharedValue(object.value(u"message"));
    e.count = integer(object, u"count");
    e.lastTimestamp = timestamp(object.value(u"lastTimestamp"));
    e.eventTime = timestamp(object.value(u"eventTime"));
    // The events.k8s.io recorder counts repeats in a series; a single event has no count.
    if (const auto series = obj(object, u"series"); !series.isEmpty()) {
        e.count = integer(series, u"count");
        e.lastTimestamp = timestamp(series.value(u"lastObservedTime"));
    }
    e.count = std::max(1, e.count);
    e.keyCache.text = keyOf(e.ns, e.name);
    return e;
}

} // namespace

EventInfo EventInfo::fromJson(const QJsonObject &object)
{
    return decodeEvent(object);
}

EventInfo EventInfo::fromJson(const fastjson::Object &object)
{
    return decodeEvent(object);
}

EventInfo EventInfo::fromWatchLine(QByteArrayView line)
{
    return fromJson(watchLineObject(line));
}

QString EventInfo::key() const
{
    const QString &cached = keyCache.text;
    const bool current = ns.isEmpty() ? cached == name
                                      : cached.size() == ns.size() + 1 + name.size() &&
                                            cached.startsWith(ns) && cached.at(ns.size()) == u'/' &&
                                            cached.endsWith(name);
    return current ? cached : keyOf(ns, name);
}

QDateTime EventInfo::lastSeen() const
{
    QDateTime latest = creationTimestamp;
    for (const QDateTime &t : {lastTimestamp, eventTime}) {
        if (t.isValid() && (!latest.isValid() || t > latest))
            latest = t;
    }
    return latest;
}

// --- NodeInfo, NamespaceInfo ---------------------------------------------------------------------

NodeInfo NodeInfo::fromJson(const QJsonObject &object)
{
    NodeInfo n;
    const QJsonObject metadata = obj(object, u"metadata");
    const QJsonObject status = obj(object, u"status");
    n.name = str(metadata, u"name");
    n.uid = str(metadata, u"uid");
    n.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    n.unschedulable = obj(object, u"spec").value(u"unschedulable").toBool();
    for (const QJsonValue &a : status.value(u"addresses").toArray()) {
        const QJsonObject o = a.toObject();
        if (str(o, u"type") == u"InternalIP" && n.internalIP.isEmpty())
            n.internalIP = str(o, u"address");
    }
    for (const QJsonValue &c : status.value(u"conditions").toArray()) {
        const QJsonObject o = c.toObject();
        if (str(o, u"type") == u"Ready")
            n.ready = str(o, u"status") == u"True";
    }
    return n;
}

NamespaceInfo NamespaceInfo::fromJson(const QJsonObject &object)
{
    NamespaceInfo n;
    const QJsonObject metadata = obj(object, u"metadata");
    n.name = str(metadata, u"name");
    n.uid = str(metadata, u"uid");
    n.creationTimestamp = parseTimestamp(metadata.value(u"creationTimestamp"));
    n.phase = str(obj(object, u"status"), u"phase");
    return n;
}

} // namespace rollscope::kube
