// SPDX-License-Identifier: MIT
#include "session/democluster.h"

namespace rollscope {

namespace {

DemoCluster::Factory &factory()
{
    static DemoCluster::Factory installed;
    return installed;
}

} // namespace

void DemoCluster::setFactory(Factory f)
{
    factory() = std::move(f);
}

DemoCluster *DemoCluster::create(QObject *parent)
{
    return factory() ? factory()(parent) : nullptr;
}

} // namespace rollscope
