// SPDX-License-Identifier: MIT
#pragma once

#include "common/result.h"
#include "patch.h"
#include "resources.h"
#include "schema.h"

#include <QJsonObject>
#include <QRandomGenerator>

#include <functional>
#include <optional>

namespace rollscope::sim {

class SimClock;
class Store;

enum class Subresource
{
    None,
    Status,
    Scale
};

struct WriteOptions
{
    bool dryRun = false;
    QString fieldManager;
    // A client's write: fields the typed object does not have are dropped, reported or refused,
    // as `fieldValidation` asks. Unset for the controllers' own writes.
    std::optional<Schema::FieldValidation> fieldValidation;
    // Where Warn puts its warnings ("unknown field \"spec.x\""), for the Warning headers.
    QStringList *warnings = nullptr;
    // Server-side apply's `force`: take fields other managers own instead of a 409.
    bool force = false;
    // Set by the apply path, which records metadata.managedFields itself.
    bool ownershipRecorded = false;
    // The subresource written, for the managedFields entry (set by update()).
    Subresource subresource = Subresource::None;
};

struct DeleteOptions
{
    std::optional<qint64> gracePeriodSeconds;
    QString propagationPolicy; // "Foreground", "Background", "Orphan"; empty = the default
    QString preconditionUid;
    QString preconditionResourceVersion;
    bool dryRun = false;
};

// What a delete did: the object is gone (`removed`), or it waits for a grace period or
// finalizers and `object` holds its state with the deletionTimestamp.
struct DeleteOutcome
{
    QJsonObject object;
    bool removed = false;
};

// The API semantics on top of the store, shared by the HTTP front and the controllers:
// defaulting, validation (422 with causes), metadata the server owns (uid, creationTimestamp,
// generation, resourceVersion preconditions), spec/status separation, the scale subresource,
// patches, graceful deletion and finalizers. Errors are Kubernetes-shaped (httpStatus, reason,
// message, causes) so the front can turn them into Status objects unchanged.
class Registry
{
public:
    Registry(Store *store, SimClock *clock, QRandomGenerator *random);

    Store *store() const { return m_store; }
    SimClock *clock() const { return m_clock; }
    QRandomGenerator *random() const { return m_random; }

    Result<QJsonObject> get(const ResourceType &type, const QString &ns, const QString &name,
                            Subresource sub = Subresource::None) const;
    Result<QJsonObject> create(const ResourceType &type, const QString &ns, QJsonObject object,
                               const WriteOptions &options = {});
    Result<QJsonObject> update(const ResourceType &type, const QString &ns, const QString &name,
                               QJsonObject object, Subresource sub = Subresource::None,
                               const WriteOptions &options = {});
    Result<QJsonObject> patch(const ResourceType &type, const QString &ns, const QString &name,
                              PatchType patchType, const QByteArray &body,
                              Subresource sub = Subresource::None,
                              const WriteOptions &options = {});
    Result<DeleteOutcome> remove(const ResourceType &type, const QString &ns, const QString &name,
                                 const DeleteOptions &options = {});

    // For controllers: read-modify-write of the live object (no conflict is possible on the
    // simulator's single thread). `mutate` returns false to leave the object unchanged.
    Result<QJsonObject> modify(const ResourceType &type, const QString &ns, const QString &name,
                               const std::function<bool(QJsonObject &)> &mutate,
                               Subresource sub = Subresource::None);

    // Objects removed for good, bypassing graceful deletion (kubelet's final delete, the
    // garbage collector's finalizer removal).
    void erase(const ResourceType &type, const QString &ns, const QString &name);

    // A unique name from a generateName prefix: five characters of the API server's alphabet.
    QString generateName(const ResourceType &type, const QString &ns, const QString &prefix);
    QString randomString(int length);
    // The same from another generator (for work done off the simulator's thread).
    static QString randomString(QRandomGenerator &random, int length);

    // Service addresses the registry allocates.
    void setNodePortRange(int first, int last);
    bool isNodePortAllocated(int port) const;
    // Asked before a random nodePort is handed out, so the traffic front can bind it
    // (simulators running side by side share the host's ports).
    void setNodePortProbe(std::function<bool(int port)> probe)
    {
        m_nodePortProbe = std::move(probe);
    }

    // Go's JSON decoding error (e.g. "json: cannot unmarshal string into Go struct field
    // DeploymentSpec.spec.replicas of type int32") when `object` has a value its typed field
    // cannot hold, or nullopt. The API front answers 400 for a create or update body; patch()
    // answers 422 for a patched result.
    static std::optional<QString> decodeProblem(const ResourceType &type, const QJsonObject &object,
                                                Subresource sub);

    static Error notFound(const ResourceType &type, const QString &name);
    static Error invalid(const ResourceType &type, const QString &name,
                         const QList<ErrorCause> &causes);

private:
    Result<QJsonObject> writeValidated(const ResourceType &type, QJsonObject object,
                                       const std::optional<QJsonObject> &old,
                                       const WriteOptions &options, bool statusWrite = false);
    void applyDefaults(const ResourceType &type, QJsonObject &object,
                       const std::optional<QJsonObject> &old);
    QList<ErrorCause> validate(const ResourceType &type, const QJsonObject &object,
                               const std::optional<QJsonObject> &old) const;
    Result<QJsonObject> fromScale(const ResourceType &type, const QJsonObject &live,
                                  const QJsonObject &scale) const;
    QJsonObject toScale(const ResourceType &type, const QJsonObject &live) const;
    void allocateServiceAddresses(QJsonObject &service, const std::optional<QJsonObject> &old);
    Error namespaceProblem(const ResourceType &type, const QString &ns) const;

    Store *m_store;
    SimClock *m_clock;
    QRandomGenerator *m_random;
    int m_nodePortFirst = 30000;
    int m_nodePortLast = 32767;
    quint32 m_nextClusterIp = 0;
    std::function<bool(int)> m_nodePortProbe;
};

// apps/v1 IntOrString resolution, with the deployment controller's rounding.
int scaledValue(const QJsonValue &intOrPercent, int total, bool roundUp, bool *ok = nullptr);

} // namespace rollscope::sim
