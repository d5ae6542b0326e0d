// SPDX-License-Identifier: MIT
// Image references (what a person types as the new image, and what pods report): checked
// against distribution/reference's grammar. A reference that parses must print back as it was
// written and parse again to the same parts.

#include "fuzzsupport.h"
#include "kube/imagereference.h"

using namespace rollscope;
using namespace rollscope::kube;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rollscope::fuzz::initQt();
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<ImageReference> ref = ImageReference::parse(text);
    if (!ref) {
        FUZZ_CHECK(!ref.error().message.isEmpty());
        return 0;
    }
    FUZZ_CHECK(!ref->path.isEmpty());
    FUZZ_CHECK(ref->toString() == text);
    const Result<ImageReference> again = ImageReference::parse(ref->toString());
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(again->domain == ref->domain && again->path == ref->path && again->tag == ref->tag &&
               again->digest == ref->digest);
    (void)ref->name();
    return 0;
}
