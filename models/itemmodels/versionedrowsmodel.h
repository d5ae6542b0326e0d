// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/keyedrowsmodel.h"

#include <QList>

namespace rollscope {

// The rows of a Deployment's versions (pods, ReplicaSets): each belongs to the version the
// tracker's versions say (Derived::findVersion(lookup, row)), and a change of the versions (a
// label, a colour, which one is new) reaches the rows it touches as one dataChanged each, with
// Derived::kVersionRoles.
template<typename Derived, typename Row>
class VersionedRowsModel : public KeyedRowsModel<Derived, Row>
{
public:
    void setVersions(const QList<rollout::VersionInfo> &versions)
    {
        this->refreshRows(
            [this](const Row &row) { return VersionLookup::copyOf(versionOf(row)); },
            [&] { m_versions.set(versions); },
            QList<int>(Derived::kVersionRoles.cbegin(), Derived::kVersionRoles.cend()));
    }

protected:
    using KeyedRowsModel<Derived, Row>::KeyedRowsModel;

    // The version `row` belongs to; nullptr when there is none.
    const rollout::VersionInfo *versionOf(const Row &row) const
    {
        return Derived::findVersion(m_versions, row);
    }

    // Binds to `tracker` (may be null: empties the model): its rows (`rows`) and versions in one
    // reset, then their changes.
    template<typename Tracker, typename Rows, typename Added, typename Updated, typename Removed>
    void bindTracker(Tracker *tracker, Rows rows, Added added, Updated updated, Removed removed)
    {
        this->bindRows(tracker, rows, added, updated, removed, [this, tracker] {
            m_versions.set(tracker ? tracker->versions() : QList<rollout::VersionInfo>());
        });
        if (tracker)
            this->follow(tracker, &Tracker::versionsChanged, &Derived::setVersions);
    }

private:
    VersionLookup m_versions;
};

} // namespace rollscope
