<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AccessResults</name>
    <message>
        <source>Whether you may %1 %2 in namespace &quot;%3&quot; was not checked; the action stays available.</source>
        <translation>未检查你是否可以在命名空间“%3”中 %1 %2；该操作仍然可用。</translation>
    </message>
    <message>
        <source>the server&apos;s answer was larger than %1 KiB.</source>
        <translation>服务器的应答大于 %1 KiB。</translation>
    </message>
    <message>
        <source>the server&apos;s answer was not a SelfSubjectAccessReview with a status.</source>
        <translation>服务器的应答不是带 status 的 SelfSubjectAccessReview。</translation>
    </message>
    <message>
        <source>there is no connection to a cluster.</source>
        <translation>没有连接到集群。</translation>
    </message>
    <message>
        <source>the scale of Deployments</source>
        <translation>Deployment 的副本数（scale）</translation>
    </message>
    <message>
        <source>Deployments</source>
        <translation>Deployment</translation>
    </message>
    <message>
        <source>ReplicaSets</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <source>pod logs</source>
        <translation>Pod 日志</translation>
    </message>
    <message>
        <source>Pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>the API server&apos;s proxy to Services</source>
        <translation>API 服务器到 Service 的代理</translation>
    </message>
    <message>
        <source>Services</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Could not check whether you may %1 %2 in namespace &quot;%3&quot;: %4 The action stays available; if the server refuses it, it will say why.</source>
        <translation>无法检查你是否可以在命名空间“%3”中 %1 %2：%4 该操作仍然可用；如果服务器拒绝，会说明原因。</translation>
    </message>
    <message>
        <source>Your credentials may not %1 %2 in namespace &quot;%3&quot; (read-only access).</source>
        <translation>你的凭据不能在命名空间“%3”中 %1 %2（只读访问）。</translation>
    </message>
    <message>
        <source>Your credentials may not %1 %2 in namespace &quot;%3&quot;.</source>
        <translation>你的凭据不能在命名空间“%3”中 %1 %2。</translation>
    </message>
    <message>
        <source>%1 The server says: %2</source>
        <translation>%1 服务器返回：%2</translation>
    </message>
    <message>
        <source>%1 (The server could not evaluate every rule: %2)</source>
        <translation>%1（服务器未能评估所有规则：%2）</translation>
    </message>
    <message>
        <source>the server does not offer access reviews (SelfSubjectAccessReview, 404).</source>
        <translation>服务器不提供访问审查（SelfSubjectAccessReview，404）。</translation>
    </message>
    <message>
        <source>your credentials may not ask the server what they may do (creating a SelfSubjectAccessReview is forbidden).</source>
        <translation>你的凭据无权向服务器询问其权限（禁止创建 SelfSubjectAccessReview）。</translation>
    </message>
    <message>
        <source>the server did not answer within %1 s.</source>
        <translation>服务器在 %1 秒内没有应答。</translation>
    </message>
    <message>
        <source>the review failed: %1</source>
        <translation>访问审查失败：%1</translation>
    </message>
</context>
<context>
    <name>ApiClient</name>
    <message>
        <source>failed to %1 *%2.%3: %4</source>
        <translation>无法 %1 *%2.%3：%4</translation>
    </message>
    <message>
        <source>%1 %2 failed (%3); retrying in %4 s</source>
        <translation>%1 %2 失败（%3）；%4 秒后重试</translation>
    </message>
    <message>
        <source>401 Unauthorized: fetching a fresh credential and trying once more</source>
        <translation>401 Unauthorized：正在获取新的凭据并再试一次</translation>
    </message>
    <message>
        <source>Got %1 with Retry-After %2 s: retry %3 of %4</source>
        <translation>收到 %1，Retry-After %2 秒：第 %3 次重试，共 %4 次</translation>
    </message>
    <message>
        <source>The server answered with something that is not a JSON object.</source>
        <translation>服务器的应答不是 JSON 对象。</translation>
    </message>
    <message>
        <source>The server answered the list of %1 with something that is not a list.</source>
        <translation>服务器对 %1 列表的应答不是列表。</translation>
    </message>
    <message>
        <source>The continue token of the %1 list expired; listing again without paging</source>
        <translation>%1 列表的 continue 令牌已过期；不分页重新列出</translation>
    </message>
    <message>
        <source>Opened watch connection pool %1 (%2)</source>
        <translation>已打开 watch 连接池 %1（%2）</translation>
    </message>
    <message>
        <source>The watch connection to %1 went quiet for %2 s and was closed.</source>
        <translation>到 %1 的 watch 连接 %2 秒没有动静，已关闭。</translation>
    </message>
</context>
<context>
    <name>ApiErrors</name>
    <message>
        <source>object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Access denied: %1</source>
        <translation>拒绝访问：%1</translation>
    </message>
    <message>
        <source>the %1 of %2</source>
        <translation>%2 的 %1</translation>
    </message>
    <message>
        <source>User %1 cannot %2 %3 (cluster-wide).</source>
        <translation>用户 %1 不能 %2 %3（集群范围）。</translation>
    </message>
    <message>
        <source>User %1 cannot %2 %3 in namespace %4.</source>
        <translation>用户 %1 不能在命名空间 %4 中 %2 %3。</translation>
    </message>
    <message>
        <source>no details given</source>
        <translation>未提供详情</translation>
    </message>
    <message>
        <source>You must be logged in to the server (Unauthorized)</source>
        <translation>你必须先登录到服务器（Unauthorized）</translation>
    </message>
    <message>
        <source>Not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <source>The %1 was not found.</source>
        <translation>未找到 %1。</translation>
    </message>
    <message>
        <source>The %1 already exists.</source>
        <translation>%1 已存在。</translation>
    </message>
    <message>
        <source>The %1 was changed by someone else in the meantime; reload it and try again.</source>
        <translation>%1 在此期间已被他人修改；请重新加载后再试。</translation>
    </message>
    <message>
        <source>Conflict: %1</source>
        <translation>冲突：%1</translation>
    </message>
    <message>
        <source>The requested data is too old and no longer available on the server (%1).</source>
        <translation>请求的数据太旧，服务器上已不再可用（%1）。</translation>
    </message>
    <message>
        <source>The server rejected the change as invalid: %1</source>
        <translation>服务器以无效为由拒绝了此更改：%1</translation>
    </message>
    <message>
        <source>The %1 was rejected as invalid: %2</source>
        <translation>%1 因无效被拒绝：%2</translation>
    </message>
    <message>
        <source>The server is too busy (too many requests); try again later.</source>
        <translation>服务器太忙（请求过多）；请稍后再试。</translation>
    </message>
    <message>
        <source>The server rejected the request as malformed: %1</source>
        <translation>服务器以格式错误为由拒绝了请求：%1</translation>
    </message>
    <message>
        <source>The server failed with an internal error: %1</source>
        <translation>服务器发生内部错误：%1</translation>
    </message>
    <message>
        <source>The server is unavailable: %1</source>
        <translation>服务器不可用：%1</translation>
    </message>
    <message>
        <source>The server failed (HTTP %1): %2</source>
        <translation>服务器出错（HTTP %1）：%2</translation>
    </message>
    <message>
        <source>The server refused the request (HTTP %1): %2</source>
        <translation>服务器拒绝了请求（HTTP %1）：%2</translation>
    </message>
    <message>
        <source>The connection to the server %1 was refused - is the address right and the server running?</source>
        <translation>到服务器 %1 的连接被拒绝——地址是否正确、服务器是否在运行？</translation>
    </message>
    <message>
        <source>The server %1 closed the connection unexpectedly.</source>
        <translation>服务器 %1 意外关闭了连接。</translation>
    </message>
    <message>
        <source>The server name in %1 could not be resolved.</source>
        <translation>无法解析 %1 中的服务器名称。</translation>
    </message>
    <message>
        <source>The server %1 did not answer within %2 s.</source>
        <translation>服务器 %1 在 %2 秒内没有应答。</translation>
    </message>
    <message>
        <source>The request to %1 timed out.</source>
        <translation>对 %1 的请求超时。</translation>
    </message>
    <message>
        <source>Cannot connect securely to %1: %2</source>
        <translation>无法与 %1 建立安全连接：%2</translation>
    </message>
    <message>
        <source>Cannot reach %1 through the proxy: %2</source>
        <translation>无法通过代理访问 %1：%2</translation>
    </message>
    <message>
        <source>Cannot talk to the server %1: %2</source>
        <translation>无法与服务器 %1 通信：%2</translation>
    </message>
    <message>
        <source>Error from server (%1): %2</source>
        <translation>服务器返回错误（%1）：%2</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>AttributionText</name>
    <message>
        <source>Enter the name of the response header that names the version.</source>
        <translation>请输入标明版本的响应头名称。</translation>
    </message>
    <message>
        <source>Enter a regular expression with one capture group for the version.</source>
        <translation>请输入带一个捕获组（用于版本）的正则表达式。</translation>
    </message>
    <message>
        <source>The regular expression is not valid: %1 (at character %2).</source>
        <translation>正则表达式无效：%1（位于第 %2 个字符）。</translation>
    </message>
    <message>
        <source>The regular expression needs a capture group, in parentheses, around the version.</source>
        <translation>正则表达式需要一个用括号括住版本的捕获组。</translation>
    </message>
</context>
<context>
    <name>AutosaveWriter</name>
    <message>
        <source>Cannot create the folder for autosaved timelines: %1</source>
        <translation>无法创建自动保存时间线的文件夹：%1</translation>
    </message>
    <message>
        <source>Cannot write the autosaved timeline: %1</source>
        <translation>无法写入自动保存的时间线：%1</translation>
    </message>
</context>
<context>
    <name>BoundedFile</name>
    <message>
        <source>%1 MiB</source>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1 bytes</source>
        <translation>%1 字节</translation>
    </message>
    <message>
        <source>it is larger than %1</source>
        <translation>它大于 %1</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是文件夹</translation>
    </message>
    <message>
        <source>it is a FIFO (named pipe), not a regular file</source>
        <translation>它是 FIFO（命名管道），不是普通文件</translation>
    </message>
    <message>
        <source>it is a device, not a regular file</source>
        <translation>它是设备，不是普通文件</translation>
    </message>
    <message>
        <source>it is a socket, not a regular file</source>
        <translation>它是套接字，不是普通文件</translation>
    </message>
    <message>
        <source>it is not a regular file</source>
        <translation>它不是普通文件</translation>
    </message>
</context>
<context>
    <name>CommandLine</name>
    <message>
        <source>Rollscope shows Kubernetes rolling updates as they happen: pods per version, responses per version, and a timeline you can export.

Headless commands (no window):
  get deployments   list Deployments like kubectl get deployments (also: deployment, deploy)
  rollout deployment/NAME --image CONTAINER=IMAGE
                    change the image (as kubectl set image does), follow the rollout like kubectl rollout status, probe the Service with a fresh connection per request, record the timeline and write it (--timeline, --report, --csv). Without --image it follows the rollout already in progress. Exit status: 0 complete with no failed request, 2 complete but requests failed, 1 failed or timed out, 64 usage error. Recordings are also autosaved under the app data folder (timelines/).

Headless commands run the kubeconfig&apos;s exec credential plugins without asking, as kubectl does; the desktop app asks before the first run of a plugin.</source>
        <translation>Rollscope 实时展示 Kubernetes 滚动更新：每个版本的 Pod、每个版本的响应，以及可导出的时间线。

无界面命令（不打开窗口）：
  get deployments   像 kubectl get deployments 一样列出 Deployment（也可写作 deployment、deploy）
  rollout deployment/NAME --image CONTAINER=IMAGE
                    更换镜像（与 kubectl set image 相同），像 kubectl rollout status 一样跟踪滚动更新，每个请求用新连接探测 Service，记录时间线并写出（--timeline、--report、--csv）。不带 --image 时跟踪正在进行的滚动更新。退出状态：0 完成且无失败请求，2 完成但有请求失败，1 失败或超时，64 用法错误。记录也会自动保存在应用数据文件夹下（timelines/）。

无界面命令会像 kubectl 一样直接运行 kubeconfig 中的 exec 凭据插件，不做询问；桌面应用在首次运行插件前会询问。</translation>
    </message>
    <message>
        <source>A headless command, e.g. &quot;get deployments&quot;; none opens the window.</source>
        <translation>无界面命令，例如“get deployments”；不给出则打开窗口。</translation>
    </message>
    <message>
        <source>[get deployments | rollout deployment/NAME]</source>
        <translation>[get deployments | rollout deployment/NAME]</translation>
    </message>
    <message>
        <source>A saved timeline (.json, or an autosaved .jsonl) to open read-only in the window.</source>
        <translation>要在窗口中以只读方式打开的已保存时间线（.json，或自动保存的 .jsonl）。</translation>
    </message>
    <message>
        <source>[FILE.json]</source>
        <translation>[FILE.json]</translation>
    </message>
    <message>
        <source>Show this help and exit.</source>
        <translation>显示此帮助并退出。</translation>
    </message>
    <message>
        <source>Show the version and exit.</source>
        <translation>显示版本并退出。</translation>
    </message>
    <message>
        <source>Use this kubeconfig file only (default: $KUBECONFIG, else ~/.kube/config).</source>
        <translation>只使用此 kubeconfig 文件（默认：$KUBECONFIG，否则 ~/.kube/config）。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>file</translation>
    </message>
    <message>
        <source>Use this kubeconfig context instead of the current one.</source>
        <translation>使用此 kubeconfig 上下文（context），而不是当前上下文。</translation>
    </message>
    <message>
        <source>name</source>
        <translation>name</translation>
    </message>
    <message>
        <source>Show this namespace (default: the context&apos;s namespace).</source>
        <translation>显示此命名空间（默认：上下文的命名空间）。</translation>
    </message>
    <message>
        <source>namespace</source>
        <translation>namespace</translation>
    </message>
    <message>
        <source>get: list across all namespaces.</source>
        <translation>get：列出所有命名空间。</translation>
    </message>
    <message>
        <source>get: output format, wide or json (default: a table).</source>
        <translation>get：输出格式，wide 或 json（默认：表格）。</translation>
    </message>
    <message>
        <source>format</source>
        <translation>format</translation>
    </message>
    <message>
        <source>Log API requests like kubectl -v: 6 requests, 7 request headers, 8 response headers and bodies, 9 everything. Credentials are always masked.</source>
        <translation>像 kubectl -v 一样记录 API 请求：6 请求，7 请求头，8 响应头和响应体，9 全部。凭据始终会被遮蔽。</translation>
    </message>
    <message>
        <source>level</source>
        <translation>level</translation>
    </message>
    <message>
        <source>rollout: the change to roll out, as kubectl set image takes it (container=image).</source>
        <translation>rollout：要滚动发布的更改，格式同 kubectl set image（容器=镜像）。</translation>
    </message>
    <message>
        <source>container=image</source>
        <translation>container=image</translation>
    </message>
    <message>
        <source>rollout: where to send requests: auto (the Deployment&apos;s Service: LoadBalancer, else NodePort, else the API server&apos;s service proxy), a URL, or off (default: auto).</source>
        <translation>rollout：请求发往何处：auto（Deployment 的 Service：LoadBalancer，否则 NodePort，否则 API 服务器的 Service 代理）、一个 URL，或 off（默认：auto）。</translation>
    </message>
    <message>
        <source>auto|URL|off</source>
        <translation>auto|URL|off</translation>
    </message>
    <message>
        <source>rollout: requests per second (default: 20).</source>
        <translation>rollout：每秒请求数（默认：20）。</translation>
    </message>
    <message>
        <source>n</source>
        <translation>n</translation>
    </message>
    <message>
        <source>rollout: write the timeline as JSON to this file.</source>
        <translation>rollout：将时间线以 JSON 格式写入此文件。</translation>
    </message>
    <message>
        <source>file.json</source>
        <translation>file.json</translation>
    </message>
    <message>
        <source>rollout: write a self-contained HTML report (summary, charts, events) to this file.</source>
        <translation>rollout：将自包含的 HTML 报告（摘要、图表、事件）写入此文件。</translation>
    </message>
    <message>
        <source>file.html</source>
        <translation>file.html</translation>
    </message>
    <message>
        <source>rollout: write the samples as CSV to this file.</source>
        <translation>rollout：将采样数据以 CSV 格式写入此文件。</translation>
    </message>
    <message>
        <source>file.csv</source>
        <translation>file.csv</translation>
    </message>
    <message>
        <source>rollout: give up after this long, e.g. 300, 90s, 10m (default: 10m).</source>
        <translation>rollout：超过此时长后放弃，例如 300、90s、10m（默认：10m）。</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>seconds</translation>
    </message>
    <message>
        <source>Open on the built-in demo cluster (rollscope-sim, in-process on loopback) even when a kubeconfig exists.</source>
        <translation>即使存在 kubeconfig，也在内置演示集群（rollscope-sim，进程内，仅本机回环）上打开。</translation>
    </message>
    <message>
        <source>With --demo: run the demo cluster&apos;s clock this many times faster, from 0.25 (four times slower) to 20 (default: 1).</source>
        <translation>与 --demo 一起使用：让演示集群的时钟加快这么多倍，范围从 0.25（慢四倍）到 20（默认：1）。</translation>
    </message>
    <message>
        <source>factor</source>
        <translation>factor</translation>
    </message>
    <message>
        <source>Speak this language: %1 (default: the View &gt; Language choice, else the system&apos;s LANGUAGE or LANG).</source>
        <translation>使用此语言：%1（默认：“视图 ▸ 语言”中的选择，否则为系统的 LANGUAGE 或 LANG）。</translation>
    </message>
    <message>
        <source>language</source>
        <translation>language</translation>
    </message>
    <message>
        <source>Run &apos;%1 --help&apos; for usage.</source>
        <translation>运行“%1 --help”查看用法。</translation>
    </message>
    <message>
        <source>Usage: %1 [options] [get deployments | rollout deployment/NAME | FILE.json]</source>
        <translation>用法：%1 [选项] [get deployments | rollout deployment/NAME | FILE.json]</translation>
    </message>
    <message>
        <source>Unsupported language &quot;%1&quot;: use one of %2.</source>
        <translation>不支持的语言“%1”：请使用 %2 之一。</translation>
    </message>
    <message>
        <source>Invalid verbosity &quot;%1&quot;: use a number from 0 to 10.</source>
        <translation>无效的详细级别“%1”：请使用 0 到 10 的数字。</translation>
    </message>
    <message>
        <source>--demo and --demo-speed only apply to the window; run rollscope-sim for a headless demo cluster.</source>
        <translation>--demo 和 --demo-speed 只适用于窗口；无界面的演示集群请运行 rollscope-sim。</translation>
    </message>
    <message>
        <source>Invalid --demo-speed &quot;%1&quot;: use a factor from %2 to %3.</source>
        <translation>无效的 --demo-speed“%1”：请使用 %2 到 %3 之间的倍数。</translation>
    </message>
    <message>
        <source>--demo cannot be combined with --kubeconfig or --context.</source>
        <translation>--demo 不能与 --kubeconfig 或 --context 同时使用。</translation>
    </message>
    <message>
        <source>-A and -o only apply to headless commands such as &quot;get deployments&quot;.</source>
        <translation>-A 和 -o 只适用于“get deployments”等无界面命令。</translation>
    </message>
    <message>
        <source>%1 only applies to &quot;rollout&quot;.</source>
        <translation>%1 只适用于“rollout”。</translation>
    </message>
    <message>
        <source>Open one timeline at a time; unexpected argument: %1</source>
        <translation>一次只能打开一个时间线；多余的参数：%1</translation>
    </message>
    <message>
        <source>Cannot open the timeline &quot;%1&quot;: there is no such file.</source>
        <translation>无法打开时间线“%1”：文件不存在。</translation>
    </message>
    <message>
        <source>Cannot open the timeline &quot;%1&quot;: it is a directory, not a timeline file.</source>
        <translation>无法打开时间线“%1”：它是目录，不是时间线文件。</translation>
    </message>
    <message>
        <source>-A and -o do not apply to &quot;rollout&quot;.</source>
        <translation>-A 和 -o 不适用于“rollout”。</translation>
    </message>
    <message>
        <source>&quot;rollout&quot; needs a Deployment: %1 rollout deployment/NAME --image CONTAINER=IMAGE</source>
        <translation>“rollout”需要一个 Deployment：%1 rollout deployment/NAME --image CONTAINER=IMAGE</translation>
    </message>
    <message>
        <source>&quot;rollout&quot; takes one Deployment as deployment/NAME, not &quot;%1&quot;.</source>
        <translation>“rollout”接受一个 deployment/NAME 形式的 Deployment，而不是“%1”。</translation>
    </message>
    <message>
        <source>Give one --image CONTAINER=IMAGE: a rollout records one change.</source>
        <translation>只能给出一个 --image CONTAINER=IMAGE：一次滚动更新只记录一项更改。</translation>
    </message>
    <message>
        <source>--image expects CONTAINER=IMAGE, e.g. demo=bebullish/demo:v2, not &quot;%1&quot;.</source>
        <translation>--image 需要 CONTAINER=IMAGE 形式，例如 demo=bebullish/demo:v2，而不是“%1”。</translation>
    </message>
    <message>
        <source>--probe expects auto, off or a URL.</source>
        <translation>--probe 需要 auto、off 或一个 URL。</translation>
    </message>
    <message>
        <source>Invalid --rate &quot;%1&quot;: use a number of requests per second from 0.1 to 10000.</source>
        <translation>无效的 --rate“%1”：请使用 0.1 到 10000 之间的每秒请求数。</translation>
    </message>
    <message>
        <source>Invalid --timeout &quot;%1&quot;: use seconds (300) or a duration such as 90s, 10m or 1h.</source>
        <translation>无效的 --timeout“%1”：请使用秒数（300）或 90s、10m、1h 这样的时长。</translation>
    </message>
    <message>
        <source>--%1 needs a file name.</source>
        <translation>--%1 需要一个文件名。</translation>
    </message>
    <message>
        <source>Unknown command: %1 (to open a saved timeline, give its .json or .jsonl file)</source>
        <translation>未知命令：%1（要打开已保存的时间线，请给出其 .json 或 .jsonl 文件）</translation>
    </message>
    <message>
        <source>&quot;get&quot; needs a resource type: %1 get deployments</source>
        <translation>“get”需要资源类型：%1 get deployments</translation>
    </message>
    <message>
        <source>&quot;get&quot; supports only deployments (deployment, deploy), not &quot;%1&quot;.</source>
        <translation>“get”只支持 deployments（deployment、deploy），不支持“%1”。</translation>
    </message>
    <message>
        <source>Unexpected argument: %1</source>
        <translation>多余的参数：%1</translation>
    </message>
    <message>
        <source>Unable to match a printer suitable for the output format &quot;%1&quot;, allowed formats are: json,wide</source>
        <translation>无法为输出格式“%1”找到合适的打印器，允许的格式：json,wide</translation>
    </message>
</context>
<context>
    <name>Completion</name>
    <message>
        <source>Usage: %1 __complete contexts|namespaces|deployments|languages [--kubeconfig FILE] [--context NAME] [-n NAMESPACE]</source>
        <translation>用法：%1 __complete contexts|namespaces|deployments|languages [--kubeconfig FILE] [--context NAME] [-n NAMESPACE]</translation>
    </message>
</context>
<context>
    <name>DeploymentOperations</name>
    <message>
        <source>The deployment &quot;%1&quot; has no container named &quot;%2&quot; (its containers: %3).</source>
        <translation>Deployment“%1”没有名为“%2”的容器（其容器：%3）。</translation>
    </message>
    <message>
        <source>No image change was given.</source>
        <translation>未给出镜像更改。</translation>
    </message>
    <message>
        <source>An image change needs a container name (or &quot;*&quot;).</source>
        <translation>镜像更改需要容器名（或“*”）。</translation>
    </message>
    <message>
        <source>%1 image unchanged</source>
        <translation>%1 镜像未变</translation>
    </message>
    <message>
        <source>%1 image updated</source>
        <translation>%1 镜像已更新</translation>
    </message>
    <message>
        <source>The number of replicas cannot be negative (%1).</source>
        <translation>副本数不能为负数（%1）。</translation>
    </message>
    <message>
        <source>%1 scaled</source>
        <translation>%1 已扩缩容</translation>
    </message>
    <message>
        <source>deployments.apps &quot;%1&quot; is already paused</source>
        <translation>deployments.apps “%1” 已经暂停</translation>
    </message>
    <message>
        <source>%1 paused</source>
        <translation>%1 已暂停</translation>
    </message>
    <message>
        <source>deployments.apps &quot;%1&quot; is not paused</source>
        <translation>deployments.apps “%1” 未暂停</translation>
    </message>
    <message>
        <source>%1 resumed</source>
        <translation>%1 已恢复</translation>
    </message>
    <message>
        <source>can&apos;t restart paused deployment (run rollout resume first)</source>
        <translation>无法重启已暂停的 Deployment（请先执行 rollout resume）</translation>
    </message>
    <message>
        <source>%1 was already restarted at %2; try again in a second.</source>
        <translation>%1 已在 %2 重启过；请一秒后再试。</translation>
    </message>
    <message>
        <source>%1 restarted</source>
        <translation>%1 已重启</translation>
    </message>
    <message>
        <source>The revision to roll back to cannot be negative (%1).</source>
        <translation>要回滚到的修订版本不能为负数（%1）。</translation>
    </message>
    <message>
        <source>unable to find specified revision %1 in history</source>
        <translation>在历史中找不到指定的修订版本 %1</translation>
    </message>
    <message>
        <source>no rollout history found for deployment &quot;%1&quot;</source>
        <translation>未找到 Deployment“%1”的滚动更新历史</translation>
    </message>
    <message>
        <source>you cannot rollback a paused deployment; resume it first with &apos;kubectl rollout resume&apos; and try again</source>
        <translation>无法回滚已暂停的 Deployment；请先用“kubectl rollout resume”恢复，然后重试</translation>
    </message>
    <message>
        <source>%1 skipped rollback (current template already matches revision %2)</source>
        <translation>%1 跳过回滚（当前模板已与修订版本 %2 一致）</translation>
    </message>
    <message>
        <source>%1 rolled back</source>
        <translation>%1 已回滚</translation>
    </message>
</context>
<context>
    <name>ExecPlugin</name>
    <message>
        <source>its output is not JSON (%1 at offset %2).</source>
        <translation>其输出不是 JSON（%1，位于偏移 %2）。</translation>
    </message>
    <message>
        <source>its output is not an ExecCredential object.</source>
        <translation>其输出不是 ExecCredential 对象。</translation>
    </message>
    <message>
        <source>it returned apiVersion &quot;%1&quot;, but the kubeconfig asks for &quot;%2&quot;.</source>
        <translation>它返回的 apiVersion 为“%1”，但 kubeconfig 要求“%2”。</translation>
    </message>
    <message>
        <source>it returned kind &quot;%1&quot; instead of ExecCredential.</source>
        <translation>它返回的 kind 为“%1”，而不是 ExecCredential。</translation>
    </message>
    <message>
        <source>its ExecCredential has no status.</source>
        <translation>其 ExecCredential 没有 status。</translation>
    </message>
    <message>
        <source>its ExecCredential status holds neither a token nor a client certificate and key.</source>
        <translation>其 ExecCredential 的 status 既没有令牌，也没有客户端证书和私钥。</translation>
    </message>
    <message>
        <source>it returned only a client certificate or only a client key; both are needed.</source>
        <translation>它只返回了客户端证书或只返回了客户端私钥；两者都需要。</translation>
    </message>
    <message>
        <source>it returned a token that is not a single line.</source>
        <translation>它返回的令牌不是单行。</translation>
    </message>
    <message>
        <source>its clientCertificateData is not a PEM certificate.</source>
        <translation>其 clientCertificateData 不是 PEM 证书。</translation>
    </message>
    <message>
        <source>its clientKeyData is not an unencrypted PEM RSA or EC private key.</source>
        <translation>其 clientKeyData 不是未加密的 PEM RSA 或 EC 私钥。</translation>
    </message>
    <message>
        <source>its expirationTimestamp &quot;%1&quot; is not an RFC 3339 time.</source>
        <translation>其 expirationTimestamp“%1”不是 RFC 3339 时间。</translation>
    </message>
</context>
<context>
    <name>GetCommand</name>
    <message>
        <source>error: no kubeconfig found: pass --kubeconfig FILE, or set KUBECONFIG, or create ~/.kube/config</source>
        <translation>错误：未找到 kubeconfig：请传入 --kubeconfig FILE，或设置 KUBECONFIG，或创建 ~/.kube/config</translation>
    </message>
    <message>
        <source>No resources found</source>
        <translation>未找到资源</translation>
    </message>
    <message>
        <source>No resources found in %1 namespace.</source>
        <translation>在 %1 命名空间中未找到资源。</translation>
    </message>
</context>
<context>
    <name>ImageReference</name>
    <message>
        <source>the registry %1 has an unclosed &quot;[&quot;</source>
        <translation>镜像仓库地址 %1 有未闭合的“[”</translation>
    </message>
    <message>
        <source>the registry %1 is not a valid IPv6 address</source>
        <translation>镜像仓库地址 %1 不是有效的 IPv6 地址</translation>
    </message>
    <message>
        <source>the registry %1 is not a valid host name</source>
        <translation>镜像仓库地址 %1 不是有效的主机名</translation>
    </message>
    <message>
        <source>the registry %1 has an empty port</source>
        <translation>镜像仓库地址 %1 的端口为空</translation>
    </message>
    <message>
        <source>the registry %1 is not a valid host name (each dot-separated part uses letters, digits and inner hyphens)</source>
        <translation>镜像仓库地址 %1 不是有效的主机名（以点分隔的每一部分使用字母、数字和中间的连字符）</translation>
    </message>
    <message>
        <source>the registry port %1 is not a number</source>
        <translation>镜像仓库端口 %1 不是数字</translation>
    </message>
    <message>
        <source>The image reference is empty.</source>
        <translation>镜像引用为空。</translation>
    </message>
    <message>
        <source>The image reference %1 contains white space.</source>
        <translation>镜像引用 %1 包含空白字符。</translation>
    </message>
    <message>
        <source>The image reference %1 contains a character that is not printable ASCII.</source>
        <translation>镜像引用 %1 包含非可打印 ASCII 字符。</translation>
    </message>
    <message>
        <source>The image reference %1 is invalid: %2.</source>
        <translation>镜像引用 %1 无效：%2。</translation>
    </message>
    <message>
        <source>it contains more than one &quot;@&quot;</source>
        <translation>包含多个“@”</translation>
    </message>
    <message>
        <source>the digest %1 must look like sha256:&lt;64 hex digits&gt;</source>
        <translation>摘要 %1 应形如 sha256:&lt;64 位十六进制数&gt;</translation>
    </message>
    <message>
        <source>the digest algorithm %1 is not valid</source>
        <translation>摘要算法 %1 无效</translation>
    </message>
    <message>
        <source>the digest %1 must be hexadecimal after &quot;%2:&quot;</source>
        <translation>摘要 %1 在“%2:”之后必须是十六进制</translation>
    </message>
    <message>
        <source>the digest algorithm %1 is not supported (use sha256, sha384 or sha512)</source>
        <translation>不支持摘要算法 %1（请使用 sha256、sha384 或 sha512）</translation>
    </message>
    <message>
        <source>a %1 digest has %2 hex digits, this one has %3</source>
        <translation>%1 摘要应有 %2 位十六进制数，此摘要有 %3 位</translation>
    </message>
    <message>
        <source>the digest must be lower-case hex</source>
        <translation>摘要必须是小写十六进制</translation>
    </message>
    <message>
        <source>the tag after &quot;:&quot; is empty</source>
        <translation>“:”之后的标签为空</translation>
    </message>
    <message>
        <source>the tag is longer than 128 characters</source>
        <translation>标签超过 128 个字符</translation>
    </message>
    <message>
        <source>the tag %1 may only use letters, digits, &quot;_&quot;, &quot;.&quot; and &quot;-&quot;, and must not start with &quot;.&quot; or &quot;-&quot;</source>
        <translation>标签 %1 只能使用字母、数字、“_”、“.”和“-”，且不能以“.”或“-”开头</translation>
    </message>
    <message>
        <source>the repository name is missing</source>
        <translation>缺少仓库名</translation>
    </message>
    <message>
        <source>the repository name is longer than %1 characters</source>
        <translation>仓库名超过 %1 个字符</translation>
    </message>
    <message>
        <source>the repository name has an empty part (&quot;//&quot;, or a &quot;/&quot; at the start or end)</source>
        <translation>仓库名有空的部分（“//”，或开头、结尾的“/”）</translation>
    </message>
    <message>
        <source>the repository name must be lower-case: %1</source>
        <translation>仓库名必须是小写：%1</translation>
    </message>
    <message>
        <source>the repository part %1 may only use lower-case letters and digits, separated by &quot;.&quot;, &quot;_&quot;, &quot;__&quot; or &quot;-&quot;</source>
        <translation>仓库名部分 %1 只能使用小写字母和数字，以“.”、“_”、“__”或“-”分隔</translation>
    </message>
    <message>
        <source>a repository name cannot be a 64-digit hexadecimal string</source>
        <translation>仓库名不能是 64 位的十六进制字符串</translation>
    </message>
</context>
<context>
    <name>Informer</name>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>listing (resourceVersion &quot;%1&quot;, limit %2)</source>
        <translation>正在列出（resourceVersion “%1”，limit %2）</translation>
    </message>
    <message>
        <source>Reloading %1...</source>
        <translation>正在重新加载 %1...</translation>
    </message>
    <message>
        <source>Loading %1...</source>
        <translation>正在加载 %1...</translation>
    </message>
    <message>
        <source>resourceVersion %1 expired for the list too; listing afresh</source>
        <translation>列表的 resourceVersion %1 也已过期；重新列出</translation>
    </message>
    <message>
        <source>listed %1 items in %2 pages at resourceVersion %3</source>
        <translation>已列出 %1 项，共 %2 页，resourceVersion %3</translation>
    </message>
    <message>
        <source>Up to date; watching for changes.</source>
        <translation>已是最新；正在监视变化。</translation>
    </message>
    <message>
        <source>watch from resourceVersion %1 expired: %2</source>
        <translation>从 resourceVersion %1 开始的 watch 已过期：%2</translation>
    </message>
    <message>
        <source>The watch of %1 ended after %2 ms without events (very short watch).</source>
        <translation>%1 的 watch 在 %2 毫秒后结束，没有任何事件（watch 过短）。</translation>
    </message>
    <message>
        <source>watch closed after %1 ms and %2 events; resuming from resourceVersion %3</source>
        <translation>watch 在 %1 毫秒、%2 个事件后关闭；从 resourceVersion %3 继续</translation>
    </message>
    <message>
        <source>Connection lost; retrying in %1 s.</source>
        <translation>连接中断；%1 秒后重试。</translation>
    </message>
    <message>
        <source>%1 Retrying in %2 s.</source>
        <translation>%1 %2 秒后重试。</translation>
    </message>
    <message>
        <source>The API server %1 has not answered for %2 s.</source>
        <translation>API 服务器 %1 已 %2 秒没有应答。</translation>
    </message>
    <message>
        <source>The API server %1 has not answered for %2 s: %3</source>
        <translation>API 服务器 %1 已 %2 秒没有应答：%3</translation>
    </message>
</context>
<context>
    <name>Kubeconfig</name>
    <message>
        <source>a kubeconfig must be a mapping with clusters, users and contexts</source>
        <translation>kubeconfig 必须是包含 clusters、users 和 contexts 的映射</translation>
    </message>
    <message>
        <source>YAML aliases expand this file by more than %1 values; such excessive aliasing is refused (kubectl refuses it too).</source>
        <translation>YAML 别名使此文件展开超过 %1 个值；拒绝这种过度的别名（kubectl 也拒绝）。</translation>
    </message>
    <message>
        <source>YAML aliases expand this file by more than %1 of text; such excessive aliasing is refused (kubectl refuses it too).</source>
        <translation>YAML 别名使此文件展开超过 %1 的文本；拒绝这种过度的别名（kubectl 也拒绝）。</translation>
    </message>
    <message>
        <source>this alias is used inside its own anchor.</source>
        <translation>此别名在其自身的锚点内使用。</translation>
    </message>
    <message>
        <source>Cannot load kubeconfig %1: %2</source>
        <translation>无法加载 kubeconfig %1：%2</translation>
    </message>
    <message>
        <source>Cannot load kubeconfig %1: line %2, column %3: %4</source>
        <translation>无法加载 kubeconfig %1：第 %2 行，第 %3 列：%4</translation>
    </message>
    <message>
        <source>%1 must be a string</source>
        <translation>%1 必须是字符串</translation>
    </message>
    <message>
        <source>%1 must be true or false</source>
        <translation>%1 必须是 true 或 false</translation>
    </message>
    <message>
        <source>%1 must be a list of strings</source>
        <translation>%1 必须是字符串列表</translation>
    </message>
    <message>
        <source>%1 is not valid base64</source>
        <translation>%1 不是有效的 base64</translation>
    </message>
    <message>
        <source>%1 is nested more than %2 levels deep.</source>
        <translation>%1 的嵌套超过 %2 层。</translation>
    </message>
    <message>
        <source>%1 must be a list</source>
        <translation>%1 必须是列表</translation>
    </message>
    <message>
        <source>%1 must be a mapping with name and %2</source>
        <translation>%1 必须是包含 name 和 %2 的映射</translation>
    </message>
    <message>
        <source>%1 has no name</source>
        <translation>%1 没有 name</translation>
    </message>
    <message>
        <source>%1 is defined twice in this file</source>
        <translation>%1 在此文件中定义了两次</translation>
    </message>
    <message>
        <source>%1 must be a mapping</source>
        <translation>%1 必须是映射</translation>
    </message>
    <message>
        <source>%1 must be a list of name and extension</source>
        <translation>%1 必须是包含 name 和 extension 的列表</translation>
    </message>
    <message>
        <source>%1 must be a mapping of lists</source>
        <translation>%1 必须是由列表组成的映射</translation>
    </message>
    <message>
        <source>%1 must be a mapping of strings</source>
        <translation>%1 必须是由字符串组成的映射</translation>
    </message>
    <message>
        <source>%1 must be a list of name and value</source>
        <translation>%1 必须是包含 name 和 value 的列表</translation>
    </message>
    <message>
        <source>User &quot;%1&quot;: exec with apiVersion %2 needs interactiveMode (Never, IfAvailable or Always).</source>
        <translation>用户“%1”：apiVersion 为 %2 的 exec 需要 interactiveMode（Never、IfAvailable 或 Always）。</translation>
    </message>
    <message>
        <source>User &quot;%1&quot;: interactiveMode &quot;%2&quot; is not Never, IfAvailable or Always.</source>
        <translation>用户“%1”：interactiveMode“%2”不是 Never、IfAvailable 或 Always。</translation>
    </message>
    <message>
        <source>The kubeconfig file %1 does not exist.</source>
        <translation>kubeconfig 文件 %1 不存在。</translation>
    </message>
    <message>
        <source>The kubeconfig %1 is a folder, not a file.</source>
        <translation>kubeconfig %1 是文件夹，不是文件。</translation>
    </message>
    <message>
        <source>Cannot read kubeconfig %1: %2</source>
        <translation>无法读取 kubeconfig %1：%2</translation>
    </message>
    <message>
        <source>None of the files listed in KUBECONFIG exist: %1</source>
        <translation>KUBECONFIG 中列出的文件都不存在：%1</translation>
    </message>
    <message>
        <source>Cannot use context &quot;%1&quot;: %2</source>
        <translation>无法使用上下文“%1”：%2</translation>
    </message>
    <message>
        <source>Cannot use context &quot;%1&quot;:</source>
        <translation>无法使用上下文“%1”：</translation>
    </message>
    <message>
        <source>cannot read %1 (named by %2 in %3): %4</source>
        <translation>无法读取 %1（由 %3 中的 %2 指定）：%4</translation>
    </message>
    <message>
        <source>No kubeconfig file was found. Pass --kubeconfig FILE, set KUBECONFIG or create ~/.kube/config.</source>
        <translation>未找到 kubeconfig 文件。请传入 --kubeconfig FILE、设置 KUBECONFIG 或创建 ~/.kube/config。</translation>
    </message>
    <message>
        <source>The kubeconfig %1 defines no contexts.</source>
        <translation>kubeconfig %1 没有定义任何上下文。</translation>
    </message>
    <message>
        <source>No context is selected: the kubeconfig %1 has no current-context. Choose one of: %2.</source>
        <translation>未选择上下文：kubeconfig %1 没有 current-context。请从以下选择一个：%2。</translation>
    </message>
    <message>
        <source>Context &quot;%1&quot; does not exist: the kubeconfig %2 defines no contexts.</source>
        <translation>上下文“%1”不存在：kubeconfig %2 没有定义任何上下文。</translation>
    </message>
    <message>
        <source>Context &quot;%1&quot; does not exist in %2. Available contexts: %3.</source>
        <translation>上下文“%1”在 %2 中不存在。可用的上下文：%3。</translation>
    </message>
    <message>
        <source>the context names no cluster (in %1).</source>
        <translation>该上下文没有指定集群（在 %1 中）。</translation>
    </message>
    <message>
        <source>cluster &quot;%1&quot; is not defined in %2.</source>
        <translation>集群“%1”未在 %2 中定义。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; is not defined in %2.</source>
        <translation>用户“%1”未在 %2 中定义。</translation>
    </message>
    <message>
        <source>namespace &quot;%1&quot; is not a valid name (lowercase letters, digits and &apos;-&apos;, at most 63 characters).</source>
        <translation>命名空间“%1”不是有效的名称（小写字母、数字和“-”，最多 63 个字符）。</translation>
    </message>
    <message>
        <source>cluster &quot;%1&quot; in %2 has no server.</source>
        <translation>%2 中的集群“%1”没有 server。</translation>
    </message>
    <message>
        <source>server &quot;%1&quot; of cluster &quot;%2&quot; in %3 is not an http(s) URL.</source>
        <translation>%3 中集群“%2”的 server“%1”不是 http(s) URL。</translation>
    </message>
    <message>
        <source>proxy-url &quot;%1&quot; of cluster &quot;%2&quot; is not supported: use an http, https or socks5 URL with a host.</source>
        <translation>不支持集群“%2”的 proxy-url“%1”：请使用带主机的 http、https 或 socks5 URL。</translation>
    </message>
    <message>
        <source>cluster &quot;%1&quot; in %2 sets insecure-skip-tls-verify together with a certificate authority; that is not allowed (kubectl refuses it too). Remove one of them.</source>
        <translation>%2 中的集群“%1”同时设置了 insecure-skip-tls-verify 和证书颁发机构；这是不允许的（kubectl 也拒绝）。请删除其中之一。</translation>
    </message>
    <message>
        <source>Cluster &quot;%1&quot;: certificate-authority-data and certificate-authority are both set; certificate-authority-data is used.</source>
        <translation>集群“%1”：同时设置了 certificate-authority-data 和 certificate-authority；使用 certificate-authority-data。</translation>
    </message>
    <message>
        <source>the certificate authority of cluster &quot;%1&quot; (%2) holds no PEM certificate.</source>
        <translation>集群“%1”的证书颁发机构（%2）不含 PEM 证书。</translation>
    </message>
    <message>
        <source>Cluster &quot;%1&quot; skips TLS verification (insecure-skip-tls-verify): the server&apos;s identity is not checked.</source>
        <translation>集群“%1”跳过 TLS 校验（insecure-skip-tls-verify）：不检查服务器的身份。</translation>
    </message>
    <message>
        <source>Server %1 of cluster &quot;%2&quot; uses plain http: the connection is not encrypted.</source>
        <translation>集群“%2”的服务器 %1 使用明文 http：连接未加密。</translation>
    </message>
    <message>
        <source>The credentials of user &quot;%1&quot; are not sent over plain http.</source>
        <translation>用户“%1”的凭据不会通过明文 http 发送。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; in %2: username/password or bearer token may be set, but not both.</source>
        <translation>%2 中的用户“%1”：可以设置用户名/密码或持有者令牌（bearer token），但不能同时设置。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; in %2: token, username and password must be single lines.</source>
        <translation>%2 中的用户“%1”：令牌、用户名和密码必须是单行。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; in %2 has a client certificate but no client-key or client-key-data.</source>
        <translation>%2 中的用户“%1”有客户端证书，但没有 client-key 或 client-key-data。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; in %2 has a client key but no client-certificate or client-certificate-data.</source>
        <translation>%2 中的用户“%1”有客户端私钥，但没有 client-certificate 或 client-certificate-data。</translation>
    </message>
    <message>
        <source>User &quot;%1&quot;: client-certificate-data and client-certificate are both set; client-certificate-data is used.</source>
        <translation>用户“%1”：同时设置了 client-certificate-data 和 client-certificate；使用 client-certificate-data。</translation>
    </message>
    <message>
        <source>User &quot;%1&quot;: client-key-data and client-key are both set; client-key-data is used.</source>
        <translation>用户“%1”：同时设置了 client-key-data 和 client-key；使用 client-key-data。</translation>
    </message>
    <message>
        <source>the client certificate of user &quot;%1&quot; in %2 (%3) is not a PEM certificate.</source>
        <translation>%2 中用户“%1”的客户端证书（%3）不是 PEM 证书。</translation>
    </message>
    <message>
        <source>the client key of user &quot;%1&quot; in %2 (%3) is not an unencrypted PEM RSA or EC private key.</source>
        <translation>%2 中用户“%1”的客户端私钥（%3）不是未加密的 PEM RSA 或 EC 私钥。</translation>
    </message>
    <message>
        <source>the client key of user &quot;%1&quot; in %2 (%3) does not belong to its client certificate (%4): the private key does not match the certificate&apos;s public key.</source>
        <translation>%2 中用户“%1”的客户端私钥（%3）与其客户端证书（%4）不匹配：私钥与证书的公钥不对应。</translation>
    </message>
    <message>
        <source>the token file %1 (named by %2 in %3) is empty.</source>
        <translation>令牌文件 %1（由 %3 中的 %2 指定）为空。</translation>
    </message>
    <message>
        <source>the token file %1 holds more than one line.</source>
        <translation>令牌文件 %1 包含多行。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; in %2 sets both exec and auth-provider; only one is allowed.</source>
        <translation>%2 中的用户“%1”同时设置了 exec 和 auth-provider；只能设置其一。</translation>
    </message>
    <message>
        <source>the exec plugin of user &quot;%1&quot; has no command.</source>
        <translation>用户“%1”的 exec 插件没有 command。</translation>
    </message>
    <message>
        <source>the exec plugin of user &quot;%1&quot; has no apiVersion (use %2).</source>
        <translation>用户“%1”的 exec 插件没有 apiVersion（请使用 %2）。</translation>
    </message>
    <message>
        <source>the exec plugin of user &quot;%1&quot; uses %2, which Kubernetes removed in 1.24; use %3 (the plugin may need an update).</source>
        <translation>用户“%1”的 exec 插件使用 %2，Kubernetes 已在 1.24 中将其移除；请使用 %3（插件可能需要更新）。</translation>
    </message>
    <message>
        <source>the exec plugin of user &quot;%1&quot; uses the unknown apiVersion &quot;%2&quot; (supported: %3, %4).</source>
        <translation>用户“%1”的 exec 插件使用未知的 apiVersion“%2”（支持：%3、%4）。</translation>
    </message>
    <message>
        <source>the exec plugin of user &quot;%1&quot; has an env entry without a name.</source>
        <translation>用户“%1”的 exec 插件有一个没有名称的 env 条目。</translation>
    </message>
    <message>
        <source>the oidc auth-provider of user &quot;%1&quot; has no id-token. Rollscope does not refresh OIDC tokens itself; log in with kubectl first, or switch to an exec plugin such as kubelogin (kubectl oidc-login).</source>
        <translation>用户“%1”的 oidc auth-provider 没有 id-token。Rollscope 自身不刷新 OIDC 令牌；请先用 kubectl 登录，或改用 kubelogin（kubectl oidc-login）等 exec 插件。</translation>
    </message>
    <message>
        <source>the oidc id-token of user &quot;%1&quot; must be a single line.</source>
        <translation>用户“%1”的 oidc id-token 必须是单行。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; uses the gcp auth-provider, which was removed from Kubernetes clients (1.26). Install gke-gcloud-auth-plugin and run &quot;gcloud container clusters get-credentials&quot; again to switch this user to an exec plugin.</source>
        <translation>用户“%1”使用的 gcp auth-provider 已从 Kubernetes 客户端中移除（1.26）。请安装 gke-gcloud-auth-plugin 并再次运行“gcloud container clusters get-credentials”，将此用户切换为 exec 插件。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; uses the azure auth-provider, which was removed from Kubernetes clients (1.26). Install kubelogin and run &quot;kubelogin convert-kubeconfig&quot; to switch this user to an exec plugin.</source>
        <translation>用户“%1”使用的 azure auth-provider 已从 Kubernetes 客户端中移除（1.26）。请安装 kubelogin 并运行“kubelogin convert-kubeconfig”，将此用户切换为 exec 插件。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; uses the auth-provider &quot;%2&quot;, which Kubernetes clients no longer support; use an exec plugin instead.</source>
        <translation>用户“%1”使用的 auth-provider“%2”已不受 Kubernetes 客户端支持；请改用 exec 插件。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; sets as-groups or as-user-extra without as (the user to impersonate).</source>
        <translation>用户“%1”设置了 as-groups 或 as-user-extra，但没有设置 as（要模拟的用户）。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; impersonates %2 groups; Rollscope can send only one Impersonate-Group header.</source>
        <translation>用户“%1”模拟了 %2 个组；Rollscope 只能发送一个 Impersonate-Group 头。</translation>
    </message>
    <message>
        <source>user &quot;%1&quot; gives as-user-extra &quot;%2&quot; several values; Rollscope can send only one.</source>
        <translation>用户“%1”为 as-user-extra“%2”给出了多个值；Rollscope 只能发送一个。</translation>
    </message>
    <message>
        <source>the impersonation fields of user &quot;%1&quot; must be single lines.</source>
        <translation>用户“%1”的模拟（impersonation）字段必须是单行。</translation>
    </message>
    <message>
        <source>proxy-url &quot;%1&quot; of cluster &quot;%2&quot; is an https proxy; Qt cannot speak TLS to a proxy. Use the proxy&apos;s http:// address instead (the connection to the cluster stays encrypted end to end).</source>
        <translation>集群“%2”的 proxy-url“%1”是 https 代理；Qt 无法与代理建立 TLS 连接。请改用代理的 http:// 地址（到集群的连接仍然端到端加密）。</translation>
    </message>
    <message>
        <source>proxy-url &quot;%1&quot; of cluster &quot;%2&quot; is not supported: use an http or socks5 URL with a host.</source>
        <translation>不支持集群“%2”的 proxy-url“%1”：请使用带主机的 http 或 socks5 URL。</translation>
    </message>
</context>
<context>
    <name>LogLineSplitter</name>
    <message>
        <source> … [line cut: %1 bytes]</source>
        <translation> … [行已截断：%1 字节]</translation>
    </message>
</context>
<context>
    <name>LogStream</name>
    <message>
        <source>The connection to the cluster is closed.</source>
        <translation>到集群的连接已关闭。</translation>
    </message>
    <message>
        <source>No logs: %1</source>
        <translation>没有日志：%1</translation>
    </message>
</context>
<context>
    <name>ProbeText</name>
    <message>
        <source>Connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <source>Connection reset</source>
        <translation>连接被重置</translation>
    </message>
    <message>
        <source>Timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>HTTP 5xx</source>
        <translation>HTTP 5xx</translation>
    </message>
    <message>
        <source>HTTP 4xx</source>
        <translation>HTTP 4xx</translation>
    </message>
    <message>
        <source>No endpoints</source>
        <translation>没有端点</translation>
    </message>
    <message>
        <source>Other error</source>
        <translation>其他错误</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Export timeline</source>
        <translation>导出时间线</translation>
    </message>
    <message>
        <source>HTML report (*.html);;JSON timeline (*.json);;CSV samples (*.csv);;PNG charts (*.png)</source>
        <translation>HTML 报告 (*.html);;JSON 时间线 (*.json);;CSV 采样 (*.csv);;PNG 图表 (*.png)</translation>
    </message>
    <message>
        <source>Choose a file name ending in .html, .json, .csv or .png.</source>
        <translation>请选择以 .html、.json、.csv 或 .png 结尾的文件名。</translation>
    </message>
    <message>
        <source>Timeline exported to %1</source>
        <translation>时间线已导出到 %1</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
</context>
<context>
    <name>RecentTimelines</name>
    <message>
        <source>%1 — %2 — %3</source>
        <translation>%1 — %2 — %3</translation>
    </message>
    <message>
        <source>%1: %2 — %3 — %4</source>
        <translation>%1：%2 — %3 — %4</translation>
    </message>
</context>
<context>
    <name>RolloutCommand</name>
    <message>
        <source>error: deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>错误：Deployment“%1”超出了其进度期限（progress deadline）</translation>
    </message>
    <message>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 out of %3 new replicas have been updated...</source>
        <translation>等待 Deployment“%1”滚动更新完成：%3 个新副本中已有 %2 个完成更新...</translation>
    </message>
    <message>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 old replicas are pending termination...</source>
        <translation>等待 Deployment“%1”滚动更新完成：%2 个旧副本等待终止...</translation>
    </message>
    <message>
        <source>Waiting for deployment &quot;%1&quot; rollout to finish: %2 of %3 updated replicas are available...</source>
        <translation>等待 Deployment“%1”滚动更新完成：%3 个已更新副本中有 %2 个可用...</translation>
    </message>
    <message>
        <source>deployment &quot;%1&quot; successfully rolled out</source>
        <translation>Deployment“%1”已成功完成滚动更新</translation>
    </message>
    <message>
        <source>Waiting for deployment spec update to be observed...</source>
        <translation>等待 Deployment spec 的更新被观察到...</translation>
    </message>
    <message>
        <source>error: timed out waiting for the condition</source>
        <translation>错误：等待条件时超时</translation>
    </message>
    <message>
        <source>the rollout did not finish within %1</source>
        <translation>滚动更新未在 %1 内完成</translation>
    </message>
    <message>
        <source>error: timed out waiting for the cluster</source>
        <translation>错误：等待集群时超时</translation>
    </message>
    <message>
        <source>error: no kubeconfig found: pass --kubeconfig FILE, or set KUBECONFIG, or create ~/.kube/config</source>
        <translation>错误：未找到 kubeconfig：请传入 --kubeconfig FILE，或设置 KUBECONFIG，或创建 ~/.kube/config</translation>
    </message>
    <message>
        <source>error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Error from server (NotFound): deployments.apps &quot;%1&quot; not found</source>
        <translation>服务器返回错误（NotFound）：deployments.apps“%1”不存在</translation>
    </message>
    <message>
        <source>error: unable to find container named &quot;%1&quot;</source>
        <translation>错误：找不到名为“%1”的容器</translation>
    </message>
    <message>
        <source>error: --probe %1: %2</source>
        <translation>错误：--probe %1：%2</translation>
    </message>
    <message>
        <source>warning: no Service selects the pods of deployment/%1, so no requests are sent (give one with --probe URL)</source>
        <translation>警告：没有 Service 选中 deployment/%1 的 Pod，因此不发送请求（可用 --probe URL 指定）</translation>
    </message>
    <message>
        <source>warning: requests are not probed: %1</source>
        <translation>警告：不探测请求：%1</translation>
    </message>
    <message>
        <source>Probing %1 at %2 requests/s, a new connection per request</source>
        <translation>以每秒 %2 个请求探测 %1，每个请求使用新连接</translation>
    </message>
    <message>
        <source>deployment.apps/%1 image unchanged (%2)</source>
        <translation>deployment.apps/%1 镜像未变（%2）</translation>
    </message>
    <message>
        <source>error: deployment &quot;%1&quot; was deleted</source>
        <translation>错误：Deployment“%1”已被删除</translation>
    </message>
    <message>
        <source>error: rollout of deployment &quot;%1&quot; failed: %2</source>
        <translation>错误：Deployment“%1”的滚动更新失败：%2</translation>
    </message>
    <message>
        <source>Requests: %1 sent, %2 failed%3</source>
        <translation>请求：已发送 %1，失败 %2%3</translation>
    </message>
    <message>
        <source>Prober: its own thread was held up %1 ms at most (%2 ms in all), not counted against the target</source>
        <translation>探测器：其自身线程最多被阻塞 %1 毫秒（总计 %2 毫秒），不计入目标</translation>
    </message>
    <message>
        <source>Verdict: %1 (%2 s)</source>
        <translation>结论：%1（%2 秒）</translation>
    </message>
    <message>
        <source>Interrupted: writing what was recorded</source>
        <translation>已中断：正在写出已记录的内容</translation>
    </message>
    <message>
        <source>stopped before the rollout finished</source>
        <translation>在滚动更新完成前停止</translation>
    </message>
    <message>
        <source>Interrupted</source>
        <translation>已中断</translation>
    </message>
    <message>
        <source>%1 of %2 pods of %3 ready</source>
        <translation>%3 的 Pod 已就绪 %1/%2</translation>
    </message>
</context>
<context>
    <name>RolloutSession</name>
    <message>
        <source>Rollscope was closed</source>
        <translation>Rollscope 已关闭</translation>
    </message>
    <message>
        <source>deployment &quot;%1&quot; was deleted</source>
        <translation>Deployment“%1”已被删除</translation>
    </message>
    <message>
        <source>The session has not started</source>
        <translation>会话尚未开始</translation>
    </message>
    <message>
        <source>A new change started before this rollout finished</source>
        <translation>此滚动更新完成前开始了新的更改</translation>
    </message>
    <message>
        <source>Aborted by %1: rolled back to the previous revision</source>
        <translation>已由 %1 中止：已回滚到上一个修订版本</translation>
    </message>
    <message>
        <source>Image of container %1 set to %2 (was %3)</source>
        <translation>容器 %1 的镜像已设为 %2（原为 %3）</translation>
    </message>
    <message>
        <source>revision %1 (%2)</source>
        <translation>修订版本 %1（%2）</translation>
    </message>
    <message>
        <source>Abort the rollout: roll back to revision %1 (%2)</source>
        <translation>中止滚动更新：回滚到修订版本 %1（%2）</translation>
    </message>
    <message>
        <source>Roll back to revision %1 (%2)</source>
        <translation>回滚到修订版本 %1（%2）</translation>
    </message>
    <message>
        <source>Restart: every pod replaced, following the strategy</source>
        <translation>重启：按照策略替换每个 Pod</translation>
    </message>
    <message>
        <source>1 replica</source>
        <translation>1 个副本</translation>
    </message>
    <message>
        <source>%1 replicas</source>
        <translation>%1 个副本</translation>
    </message>
    <message>
        <source>Scale from %1 to %2 replicas</source>
        <translation>从 %1 个副本扩缩到 %2 个</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Pause the rollout</source>
        <translation>暂停滚动更新</translation>
    </message>
    <message>
        <source>Resume the rollout</source>
        <translation>恢复滚动更新</translation>
    </message>
</context>
<context>
    <name>Scenario</name>
    <message>
        <source>unknown scenario &quot;%1&quot;: use demo, empty or scale:DEPLOYMENTS:PODS_EACH</source>
        <translation>未知场景“%1”：请使用 demo、empty 或 scale:DEPLOYMENTS:PODS_EACH</translation>
    </message>
</context>
<context>
    <name>SettledCopier</name>
    <message>
        <source>cannot copy deployment %1/%2, it has not settled: %3</source>
        <translation>无法复制 Deployment %1/%2，它尚未稳定：%3</translation>
    </message>
    <message>
        <source>it does not exist</source>
        <translation>它不存在</translation>
    </message>
    <message>
        <source>it has %1 replica sets, not one</source>
        <translation>它有 %1 个 ReplicaSet，而不是一个</translation>
    </message>
    <message>
        <source>replica set %1 has no pod-template-hash</source>
        <translation>ReplicaSet %1 没有 pod-template-hash</translation>
    </message>
    <message>
        <source>pod %1 is not running and ready</source>
        <translation>Pod %1 未运行或未就绪</translation>
    </message>
    <message>
        <source>%1 of its %2 pods are running</source>
        <translation>它的 %2 个 Pod 中有 %1 个在运行</translation>
    </message>
    <message>
        <source>pod address &quot;%1&quot; is not one the kubelet hands out</source>
        <translation>Pod 地址“%1”不是 kubelet 分配的地址</translation>
    </message>
    <message>
        <source>a container of pod %1 has no ID</source>
        <translation>Pod %1 的一个容器没有 ID</translation>
    </message>
    <message>
        <source>deployment %1/%2 exists already</source>
        <translation>Deployment %1/%2 已存在</translation>
    </message>
</context>
<context>
    <name>SimCluster</name>
    <message>
        <source>cannot listen on %1:%2: %3</source>
        <translation>无法监听 %1:%2：%3</translation>
    </message>
    <message>
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>Strategy</name>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 %2 → %3</source>
        <translation>%1 %2 → %3</translation>
    </message>
    <message>
        <source>1 replica</source>
        <translation>1 个副本</translation>
    </message>
    <message>
        <source>%1 replicas</source>
        <translation>%1 个副本</translation>
    </message>
    <message>
        <source>Recreate</source>
        <translation>Recreate</translation>
    </message>
    <message>
        <source>at most 1 pod</source>
        <translation>最多 1 个 Pod</translation>
    </message>
    <message>
        <source>at most %1 pods</source>
        <translation>最多 %1 个 Pod</translation>
    </message>
    <message>
        <source>no pods available while they are replaced</source>
        <translation>替换期间没有可用的 Pod</translation>
    </message>
    <message>
        <source>at least %1 available</source>
        <translation>至少 %1 个可用</translation>
    </message>
</context>
<context>
    <name>SvgCharts</name>
    <message>
        <source>%1 min</source>
        <translation>%1 分钟</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Pods per version over time</source>
        <translation>各版本 Pod 数随时间变化</translation>
    </message>
    <message>
        <source>No pods were recorded.</source>
        <translation>没有记录到 Pod。</translation>
    </message>
    <message>
        <source>pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>%1: ready</source>
        <translation>%1：就绪</translation>
    </message>
    <message>
        <source>%1: not ready</source>
        <translation>%1：未就绪</translation>
    </message>
    <message>
        <source>available pods</source>
        <translation>可用 Pod</translation>
    </message>
    <message>
        <source>at most replicas + maxSurge pods</source>
        <translation>最多 replicas + maxSurge 个 Pod</translation>
    </message>
    <message>
        <source>at least replicas - maxUnavailable available</source>
        <translation>至少 replicas - maxUnavailable 个可用</translation>
    </message>
    <message>
        <source>max %1 (replicas + maxSurge)</source>
        <translation>最多 %1（replicas + maxSurge）</translation>
    </message>
    <message>
        <source>min available %1 (replicas − maxUnavailable)</source>
        <translation>最少可用 %1（replicas − maxUnavailable）</translation>
    </message>
    <message>
        <source>Responses per second per version, with failed requests</source>
        <translation>各版本每秒响应数及失败请求</translation>
    </message>
    <message>
        <source>Traffic was not probed during this rollout.</source>
        <translation>此次滚动更新期间未探测流量。</translation>
    </message>
    <message>
        <source>No traffic was recorded.</source>
        <translation>没有记录到流量。</translation>
    </message>
    <message>
        <source>responses / s</source>
        <translation>响应数/秒</translation>
    </message>
    <message>
        <source>%1: responses per second</source>
        <translation>%1：每秒响应数</translation>
    </message>
    <message>
        <source>failed requests per second</source>
        <translation>每秒失败请求数</translation>
    </message>
</context>
<context>
    <name>TargetText</name>
    <message>
        <source>LoadBalancer %1 of service %2</source>
        <translation>Service %2 的 LoadBalancer %1</translation>
    </message>
    <message>
        <source>NodePort %1 on node %2 of service %3</source>
        <translation>Service %3 在节点 %2 上的 NodePort %1</translation>
    </message>
    <message>
        <source>API server proxy to service %1, port %2 (with your cluster credentials)</source>
        <translation>API 服务器到 Service %1 端口 %2 的代理（使用你的集群凭据）</translation>
    </message>
    <message>
        <source>Enter a URL to probe, such as http://demo.example.com/.</source>
        <translation>请输入要探测的 URL，例如 http://demo.example.com/。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a URL with a host name or address.</source>
        <translation>“%1”不是带主机名或地址的 URL。</translation>
    </message>
    <message>
        <source>Only http:// and https:// URLs can be probed, not %1://.</source>
        <translation>只能探测 http:// 和 https:// URL，不能探测 %1://。</translation>
    </message>
    <message>
        <source>Leave user names and passwords out of the URL.</source>
        <translation>请不要在 URL 中包含用户名和密码。</translation>
    </message>
    <message>
        <source>Port 0 cannot be probed.</source>
        <translation>无法探测端口 0。</translation>
    </message>
    <message>
        <source>URL %1</source>
        <translation>URL %1</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <source>recording</source>
        <translation>记录中</translation>
    </message>
    <message>
        <source>complete without failures</source>
        <translation>完成，无失败</translation>
    </message>
    <message>
        <source>complete with 1 failed request</source>
        <translation>完成，1 个请求失败</translation>
    </message>
    <message>
        <source>complete with %1 failed requests</source>
        <translation>完成，%1 个请求失败</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>失败：%1</translation>
    </message>
    <message>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <source>interrupted: the recording stopped before the rollout finished</source>
        <translation>已中断：记录在滚动更新完成前停止</translation>
    </message>
    <message>
        <source>aborted</source>
        <translation>已中止</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
</context>
<context>
    <name>TimelineExport</name>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>Rollout of %1 in %2</source>
        <translation>%2 中 %1 的滚动更新</translation>
    </message>
    <message>
        <source>Rollout of %1</source>
        <translation>%1 的滚动更新</translation>
    </message>
    <message>
        <source>namespace %1</source>
        <translation>命名空间 %1</translation>
    </message>
    <message>
        <source>context %1</source>
        <translation>上下文 %1</translation>
    </message>
    <message>
        <source>started %1</source>
        <translation>开始于 %1</translation>
    </message>
    <message>
        <source>duration %1</source>
        <translation>时长 %1</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>container %1: %2 → %3</source>
        <translation>容器 %1：%2 → %3</translation>
    </message>
    <message>
        <source>not known</source>
        <translation>未知</translation>
    </message>
    <message>
        <source> (already in progress when recording began)</source>
        <translation>（开始记录时已在进行中）</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <source>Requested by</source>
        <translation>请求者</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Started / finished</source>
        <translation>开始 / 结束</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>First new-version pod ready after</source>
        <translation>首个新版本 Pod 就绪用时</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>Mixed-version window</source>
        <translation>新旧版本并存时段</translation>
    </message>
    <message>
        <source>%1 with both versions answering, %2 with both versions ready</source>
        <translation>两个版本都在应答 %1，两个版本都就绪 %2</translation>
    </message>
    <message>
        <source>Most pods at once</source>
        <translation>同时存在的最多 Pod 数</translation>
    </message>
    <message>
        <source>%1, allowed %2 (replicas %3 + maxSurge %4)</source>
        <translation>%1，允许 %2（replicas %3 + maxSurge %4）</translation>
    </message>
    <message>
        <source>Fewest available pods</source>
        <translation>最少可用 Pod 数</translation>
    </message>
    <message>
        <source>%1, required %2 (replicas %3 − maxUnavailable %4)</source>
        <translation>%1，要求 %2（replicas %3 − maxUnavailable %4）</translation>
    </message>
    <message>
        <source>%1 sent, %2 answered</source>
        <translation>已发送 %1，已应答 %2</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求</translation>
    </message>
    <message>
        <source>Failed requests</source>
        <translation>失败请求</translation>
    </message>
    <message>
        <source> in %1 burst(s)</source>
        <translation>，分布在 %1 次突发中</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>流量</translation>
    </message>
    <message>
        <source>%1 at %2 requests/s, a new connection each</source>
        <translation>%1，每秒 %2 个请求，每个请求使用新连接</translation>
    </message>
    <message>
        <source>unknown target</source>
        <translation>未知目标</translation>
    </message>
    <message>
        <source>not probed</source>
        <translation>未探测</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>%1, %2 replicas, maxSurge %3, maxUnavailable %4</source>
        <translation>%1，%2 个副本，maxSurge %3，maxUnavailable %4</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>注意</translation>
    </message>
    <message>
        <source>The recording was cut off (Rollscope stopped while recording); everything up to that moment is shown.</source>
        <translation>记录被截断（Rollscope 在记录时停止）；显示截至那一刻的全部内容。</translation>
    </message>
    <message>
        <source>%1 ready</source>
        <translation>%1 就绪</translation>
    </message>
    <message>
        <source>%1 not ready</source>
        <translation>%1 未就绪</translation>
    </message>
    <message>
        <source>available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>replicas + maxSurge</source>
        <translation>replicas + maxSurge</translation>
    </message>
    <message>
        <source>replicas − maxUnavailable</source>
        <translation>replicas − maxUnavailable</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>failure burst</source>
        <translation>失败突发</translation>
    </message>
    <message>
        <source>Pods per version</source>
        <translation>各版本 Pod 数</translation>
    </message>
    <message>
        <source>Responses per second</source>
        <translation>每秒响应数</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>t (s)</source>
        <translation>t（秒）</translation>
    </message>
    <message>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>No events were recorded.</source>
        <translation>没有记录到事件。</translation>
    </message>
    <message>
        <source>Recorded by Rollscope. t is seconds since the change (%1). Timeline format %2.</source>
        <translation>由 Rollscope 记录。t 为自更改起的秒数（%1）。时间线格式 %2。</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>standard output</source>
        <translation>标准输出</translation>
    </message>
    <message>
        <source>it is a folder</source>
        <translation>它是文件夹</translation>
    </message>
    <message>
        <source>it is a block device</source>
        <translation>它是块设备</translation>
    </message>
    <message>
        <source>nothing reads from the FIFO</source>
        <translation>没有进程在读取该 FIFO</translation>
    </message>
</context>
<context>
    <name>TimelineImage</name>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>%1 · %2 · %3</source>
        <translation>%1 · %2 · %3</translation>
    </message>
</context>
<context>
    <name>TimelineJson</name>
    <message>
        <source>%1 is out of range (%2 to %3), read as %4</source>
        <translation>%1 超出范围（%2 到 %3），按 %4 读取</translation>
    </message>
    <message>
        <source>More values were wrong; only the first %1 are listed.</source>
        <translation>还有更多错误的值；只列出前 %1 个。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>a finish without a valid startedAt; the length is taken from the samples</source>
        <translation>结束时间没有有效的 startedAt；时长取自采样数据</translation>
    </message>
    <message>
        <source>%1 is before startedAt; the length is taken from the samples</source>
        <translation>%1 早于 startedAt；时长取自采样数据</translation>
    </message>
    <message>
        <source>%1 is more than %2 days after startedAt; the recording is cut there</source>
        <translation>%1 比 startedAt 晚了超过 %2 天；记录在此处截断</translation>
    </message>
    <message>
        <source>%1 is outside the recording (0 to %2 s); the sample is left out</source>
        <translation>%1 超出记录范围（0 到 %2 秒）；忽略该采样</translation>
    </message>
    <message>
        <source>Not a Rollscope timeline: the file is empty.</source>
        <translation>不是 Rollscope 时间线：文件为空。</translation>
    </message>
    <message>
        <source>Not a Rollscope timeline: %1 at offset %2.</source>
        <translation>不是 Rollscope 时间线：%1，位于偏移 %2。</translation>
    </message>
    <message>
        <source>Not a Rollscope timeline: the file holds a JSON array, not an object.</source>
        <translation>不是 Rollscope 时间线：文件包含的是 JSON 数组，不是对象。</translation>
    </message>
    <message>
        <source>Not a Rollscope timeline: the file holds no JSON object.</source>
        <translation>不是 Rollscope 时间线：文件不含 JSON 对象。</translation>
    </message>
    <message>
        <source>This timeline was written in format %1, which this version of Rollscope cannot read (it reads %2).</source>
        <translation>此时间线以格式 %1 写成，此版本的 Rollscope 无法读取（它读取 %2）。</translation>
    </message>
    <message>
        <source>Not a Rollscope timeline (no &quot;format&quot;: &quot;%1&quot;).</source>
        <translation>不是 Rollscope 时间线（没有 &quot;format&quot;: &quot;%1&quot;）。</translation>
    </message>
</context>
<context>
    <name>TimelineLoader</name>
    <message>
        <source>Cannot open the timeline: %1</source>
        <translation>无法打开时间线：%1</translation>
    </message>
    <message>
        <source>The file is too large to be a Rollscope timeline (%1 MiB).</source>
        <translation>文件太大，不可能是 Rollscope 时间线（%1 MiB）。</translation>
    </message>
    <message>
        <source>Not a Rollscope recording: the first line is not its header.</source>
        <translation>不是 Rollscope 记录：第一行不是其文件头。</translation>
    </message>
    <message>
        <source>This recording was written in format %1, which this version of Rollscope cannot read (it reads %2).</source>
        <translation>此记录以格式 %1 写成，此版本的 Rollscope 无法读取（它读取 %2）。</translation>
    </message>
    <message>
        <source>line %1:</source>
        <translation>第 %1 行：</translation>
    </message>
</context>
<context>
    <name>TimelineRecorder</name>
    <message>
        <source>no details</source>
        <translation>无详情</translation>
    </message>
    <message>
        <source>First answer from %1</source>
        <translation>来自 %1 的首个应答</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1, first: %2</source>
        <translation>%1，首个：%2</translation>
    </message>
    <message>
        <source>1 request failed (%1)</source>
        <translation>1 个请求失败（%1）</translation>
    </message>
    <message>
        <source>%1 of %2 requests failed within %3 s (%4)</source>
        <translation>%3 秒内 %2 个请求中有 %1 个失败（%4）</translation>
    </message>
    <message>
        <source>Last answer from %1</source>
        <translation>来自 %1 的最后一个应答</translation>
    </message>
    <message>
        <source>%1: %2 pods of %3</source>
        <translation>%1：%3 的 %2 个 Pod</translation>
    </message>
    <message>
        <source>%1 pods of %2 created</source>
        <translation>已创建 %2 的 %1 个 Pod</translation>
    </message>
    <message>
        <source>%1 pods of %2 scheduled</source>
        <translation>%2 的 %1 个 Pod 已调度</translation>
    </message>
    <message>
        <source>%1 pods of %2 started</source>
        <translation>%2 的 %1 个 Pod 已启动</translation>
    </message>
    <message>
        <source>%1 pods of %2 ready</source>
        <translation>%2 的 %1 个 Pod 已就绪</translation>
    </message>
    <message>
        <source>%1 pods of %2 terminating</source>
        <translation>%2 的 %1 个 Pod 正在终止</translation>
    </message>
    <message>
        <source>%1 pods of %2 gone</source>
        <translation>%2 的 %1 个 Pod 已消失</translation>
    </message>
    <message>
        <source>%1 within %2 s</source>
        <translation>%1，历时 %2 秒</translation>
    </message>
    <message>
        <source>%1 (%2 of %3)</source>
        <translation>%1（%2 / %3）</translation>
    </message>
    <message>
        <source>%1 (%2 left)</source>
        <translation>%1（剩余 %2 个）</translation>
    </message>
    <message>
        <source>%1 (%2 still terminating)</source>
        <translation>%1（%2 个仍在终止）</translation>
    </message>
</context>
<context>
    <name>TrafficProber</name>
    <message>
        <source>The rate must be between %1 and %2 requests per second.</source>
        <translation>速率必须在每秒 %1 到 %2 个请求之间。</translation>
    </message>
    <message>
        <source>The concurrency must be between 1 and %1.</source>
        <translation>并发数必须在 1 到 %1 之间。</translation>
    </message>
    <message>
        <source>The timeout must be between 10 ms and 120 s.</source>
        <translation>超时必须在 10 毫秒到 120 秒之间。</translation>
    </message>
    <message>
        <source>The hold for unknown pods must be between 0 and 60 s.</source>
        <translation>未知 Pod 的保留时间必须在 0 到 60 秒之间。</translation>
    </message>
    <message>
        <source>The path must start with &quot;/&quot;.</source>
        <translation>路径必须以“/”开头。</translation>
    </message>
    <message>
        <source>Choose the Service to reach through the API server.</source>
        <translation>请选择要通过 API 服务器访问的 Service。</translation>
    </message>
    <message>
        <source>Choose where to send the requests: a Service address or a URL.</source>
        <translation>请选择请求发往何处：Service 地址或 URL。</translation>
    </message>
    <message>
        <source>The API server proxy needs a connection to the cluster.</source>
        <translation>API 服务器代理需要连接到集群。</translation>
    </message>
    <message>
        <source>The prober is still finishing its last requests; start it again in a moment.</source>
        <translation>探测器仍在完成最后的请求；请稍后再启动。</translation>
    </message>
</context>
<context>
    <name>WatchLineParser</name>
    <message>
        <source>The server sent a watch event larger than %1 MiB.</source>
        <translation>服务器发送的 watch 事件大于 %1 MiB。</translation>
    </message>
    <message>
        <source>The server sent a watch event that is not valid JSON (%1 at offset %2).</source>
        <translation>服务器发送的 watch 事件不是有效的 JSON（%1，位于偏移 %2）。</translation>
    </message>
    <message>
        <source>The server sent a watch event of unknown type &quot;%1&quot;.</source>
        <translation>服务器发送了未知类型“%1”的 watch 事件。</translation>
    </message>
    <message>
        <source>The server sent a %1 watch event without an object.</source>
        <translation>服务器发送的 %1 watch 事件没有对象。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>A Kubernetes-API-compatible cluster simulator: API server over HTTPS, deployment controller, simulated pods and Service traffic, on loopback.</source>
        <translation>兼容 Kubernetes API 的集群模拟器：HTTPS API 服务器、Deployment 控制器、模拟的 Pod 和 Service 流量，运行在本机回环地址上。</translation>
    </message>
    <message>
        <source>Address and port to serve the API on (port 0 = any).</source>
        <translation>提供 API 的地址和端口（端口 0 = 任意）。</translation>
    </message>
    <message>
        <source>Write a kubeconfig for this cluster here once it serves.</source>
        <translation>集群开始服务后，将其 kubeconfig 写到此处。</translation>
    </message>
    <message>
        <source>What the cluster starts with: demo, empty or scale:DEPLOYMENTS:PODS_EACH.</source>
        <translation>集群的初始内容：demo、empty 或 scale:DEPLOYMENTS:PODS_EACH。</translation>
    </message>
    <message>
        <source>Simulated time runs this many times faster (start delays, grace periods).</source>
        <translation>模拟时间加快的倍数（启动延迟、宽限期）。</translation>
    </message>
    <message>
        <source>Random seed, for reproducible names and routing.</source>
        <translation>随机种子，用于可复现的名称和路由。</translation>
    </message>
    <message>
        <source>Number of nodes.</source>
        <translation>节点数。</translation>
    </message>
    <message>
        <source>--listen expects HOST:PORT, got &quot;%1&quot;</source>
        <translation>--listen 需要 HOST:PORT，实际为“%1”</translation>
    </message>
    <message>
        <source>--speed expects a factor in (0, 1000]</source>
        <translation>--speed 需要 (0, 1000] 范围内的倍数</translation>
    </message>
</context>
<context>
    <name>rollscope::ChartLegend</name>
    <message>
        <source>%1 (new)</source>
        <translation>%1（新）</translation>
    </message>
    <message>
        <source>%1
ReplicaSet %2</source>
        <translation>%1
ReplicaSet %2</translation>
    </message>
    <message>
        <source>%1, revision %2</source>
        <translation>%1，修订版本 %2</translation>
    </message>
</context>
<context>
    <name>rollscope::ClusterBar</name>
    <message>
        <source>The kubeconfig context to work with</source>
        <translation>要使用的 kubeconfig 上下文（context）</translation>
    </message>
    <message>
        <source>Show the Deployments of this namespace</source>
        <translation>显示此命名空间的 Deployment</translation>
    </message>
    <message>
        <source>⚠ Server certificate not verified</source>
        <translation>⚠ 未校验服务器证书</translation>
    </message>
    <message>
        <source>This context sets insecure-skip-tls-verify (or uses plain http): anyone between you and the cluster can read and change what you send, credentials included.</source>
        <translation>此上下文设置了 insecure-skip-tls-verify（或使用明文 http）：你与集群之间的任何人都能读取和篡改你发送的内容，包括凭据。</translation>
    </message>
    <message>
        <source>&amp;Cluster:</source>
        <translation>集群(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Namespace:</source>
        <translation>命名空间(&amp;N)：</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>All namespaces</source>
        <translation>所有命名空间</translation>
    </message>
</context>
<context>
    <name>rollscope::ClusterSession</name>
    <message>
        <source>Connecting to %1…</source>
        <translation>正在连接到 %1…</translation>
    </message>
    <message>
        <source>Connected to %1</source>
        <translation>已连接到 %1</translation>
    </message>
</context>
<context>
    <name>rollscope::ConditionModel</name>
    <message>
        <source>TYPE</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>MESSAGE</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>LAST UPDATE</source>
        <translation>最近更新</translation>
    </message>
    <message>
        <source>LAST TRANSITION</source>
        <translation>最近转换</translation>
    </message>
</context>
<context>
    <name>rollscope::DeploymentListModel</name>
    <message>
        <source>Recreate</source>
        <translation>Recreate</translation>
    </message>
    <message>
        <source>Rolling %1/%2</source>
        <translation>滚动中 %1/%2</translation>
    </message>
    <message>
        <source>%1 in %2</source>
        <translation>%1（命名空间 %2）</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>NAMESPACE</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>UP-TO-DATE</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>AVAILABLE</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>IMAGES</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>STRATEGY</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>AGE</source>
        <translation>存在时长</translation>
    </message>
</context>
<context>
    <name>rollscope::DeploymentsPane</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>命名空间</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Up-to-date</source>
        <translation>最新</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>Strategy</source>
        <translation>策略</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Age</source>
        <translation>存在时长</translation>
    </message>
    <message>
        <source>Filter deployments (/ or Ctrl+F)</source>
        <translation>筛选 Deployment（/ 或 Ctrl+F）</translation>
    </message>
    <message>
        <source>Esc clears the filter, or goes to the list when it is empty.</source>
        <translation>Esc 清除筛选；筛选为空时转到列表。</translation>
    </message>
    <message>
        <source>&amp;Columns</source>
        <translation>列(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Default Columns</source>
        <translation>默认列(&amp;D)</translation>
    </message>
    <message>
        <source>Namespace (all namespaces)</source>
        <translation>命名空间（所有命名空间）</translation>
    </message>
    <message>
        <source>Loading deployments…</source>
        <translation>正在加载 Deployment…</translation>
    </message>
    <message>
        <source>No Deployments here.</source>
        <translation>这里没有 Deployment。</translation>
    </message>
    <message>
        <source>No Deployment matches “%1”.</source>
        <translation>没有与“%1”匹配的 Deployment。</translation>
    </message>
</context>
<context>
    <name>rollscope::EventModel</name>
    <message>
        <source>LAST SEEN</source>
        <translation>最近出现</translation>
    </message>
    <message>
        <source>TYPE</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>REASON</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>OBJECT</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>MESSAGE</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>COUNT</source>
        <translation>次数</translation>
    </message>
</context>
<context>
    <name>rollscope::ExecApprovalPrompter</name>
    <message>
        <source>Run credential plugin?</source>
        <translation>运行凭据插件？</translation>
    </message>
    <message>
        <source>The kubeconfig asks Rollscope to run a program to get credentials for user “%1”.</source>
        <translation>kubeconfig 要求 Rollscope 运行一个程序来获取用户“%1”的凭据。</translation>
    </message>
    <message>
        <source>Command: %1</source>
        <translation>命令：%1</translation>
    </message>
    <message>
        <source>Arguments: %1</source>
        <translation>参数：%1</translation>
    </message>
    <message>
        <source>Environment: %1</source>
        <translation>环境变量：%1</translation>
    </message>
    <message>
        <source>Kubeconfig: %1</source>
        <translation>kubeconfig：%1</translation>
    </message>
    <message>
        <source>Run it only if you trust this kubeconfig. Rollscope asks again when the command, its arguments or its environment change.</source>
        <translation>只有在信任此 kubeconfig 时才运行。命令、参数或环境变量改变时，Rollscope 会再次询问。</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
</context>
<context>
    <name>rollscope::MainWindow</name>
    <message>
        <source>Rollscope</source>
        <translation>Rollscope</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>Not connected to a cluster</source>
        <translation>未连接到集群</translation>
    </message>
    <message>
        <source>&lt;p&gt;Rollscope reads the same kubeconfig as &lt;code&gt;kubectl&lt;/code&gt;: the file given with &lt;code&gt;--kubeconfig&lt;/code&gt;, else the files in &lt;code&gt;$KUBECONFIG&lt;/code&gt;, else &lt;code&gt;~/.kube/config&lt;/code&gt;.&lt;/p&gt;&lt;p&gt;To connect to a cluster, choose &lt;b&gt;File ▸ Open Kubeconfig…&lt;/b&gt; or start Rollscope with&lt;br&gt;&lt;code&gt;rollscope --kubeconfig FILE --context NAME&lt;/code&gt;&lt;/p&gt;&lt;p&gt;To try it without a cluster, choose &lt;b&gt;Demo cluster&lt;/b&gt; above or start &lt;code&gt;rollscope --demo&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Rollscope 读取与 &lt;code&gt;kubectl&lt;/code&gt; 相同的 kubeconfig：用 &lt;code&gt;--kubeconfig&lt;/code&gt; 指定的文件，否则为 &lt;code&gt;$KUBECONFIG&lt;/code&gt; 中的文件，否则为 &lt;code&gt;~/.kube/config&lt;/code&gt;。&lt;/p&gt;&lt;p&gt;要连接到集群，请选择&lt;b&gt;文件 ▸ 打开 kubeconfig…&lt;/b&gt;，或用以下命令启动 Rollscope：&lt;br&gt;&lt;code&gt;rollscope --kubeconfig FILE --context NAME&lt;/code&gt;&lt;/p&gt;&lt;p&gt;要在没有集群的情况下试用，请选择上方的&lt;b&gt;演示集群&lt;/b&gt;，或运行 &lt;code&gt;rollscope --demo&lt;/code&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Demo cluster.&lt;/b&gt; No kubeconfig was found, so Rollscope started its built-in cluster simulator. To connect to a real cluster, choose &lt;b&gt;File ▸ Open Kubeconfig…&lt;/b&gt;, start &lt;code&gt;rollscope --kubeconfig FILE --context NAME&lt;/code&gt; or put your kubeconfig at &lt;code&gt;~/.kube/config&lt;/code&gt;.</source>
        <translation>&lt;b&gt;演示集群。&lt;/b&gt;未找到 kubeconfig，因此 Rollscope 启动了内置的集群模拟器。要连接到真实集群，请选择&lt;b&gt;文件 ▸ 打开 kubeconfig…&lt;/b&gt;，运行 &lt;code&gt;rollscope --kubeconfig FILE --context NAME&lt;/code&gt;，或将 kubeconfig 放在 &lt;code&gt;~/.kube/config&lt;/code&gt;。</translation>
    </message>
    <message>
        <source>Select a Deployment to see its rollout.</source>
        <translation>选择一个 Deployment 以查看其滚动更新。</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Kubeconfig…</source>
        <translation>打开 kubeconfig(&amp;K)…</translation>
    </message>
    <message>
        <source>Read another kubeconfig file and connect to its current context</source>
        <translation>读取另一个 kubeconfig 文件并连接到其当前上下文</translation>
    </message>
    <message>
        <source>&amp;Open Timeline…</source>
        <translation>打开时间线(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Recent Timelines</source>
        <translation>最近的时间线(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Export Timeline…</source>
        <translation>导出时间线(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Deployment</source>
        <translation>Deployment(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Filter Deployments</source>
        <translation>筛选 Deployment(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Dark Palette</source>
        <translation>深色配色(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System Language</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Rollscope speaks the chosen language from its next start.</source>
        <translation>Rollscope 将在下次启动时使用所选语言。</translation>
    </message>
    <message>
        <source>F&amp;ull Screen</source>
        <translation>全屏(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>键盘快捷键(&amp;K)</translation>
    </message>
    <message>
        <source>&amp;About Rollscope</source>
        <translation>关于 Rollscope(&amp;A)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 Qt(&amp;Q)</translation>
    </message>
    <message>
        <source>Copy Name</source>
        <translation>复制名称</translation>
    </message>
    <message>
        <source>&amp;Traffic</source>
        <translation>流量(&amp;T)</translation>
    </message>
    <message>
        <source>Start &amp;Automatically</source>
        <translation>自动开始(&amp;A)</translation>
    </message>
    <message>
        <source>Send traffic to the Service when a change is made in Rollscope</source>
        <translation>在 Rollscope 中做出更改时向 Service 发送流量</translation>
    </message>
    <message>
        <source>&amp;Stop After the Outcome</source>
        <translation>出结果后停止(&amp;S)</translation>
    </message>
    <message>
        <source>At Once</source>
        <translation>立即</translation>
    </message>
    <message>
        <source>After 10 Seconds</source>
        <translation>10 秒后</translation>
    </message>
    <message>
        <source>After 30 Seconds</source>
        <translation>30 秒后</translation>
    </message>
    <message>
        <source>After 2 Minutes</source>
        <translation>2 分钟后</translation>
    </message>
    <message>
        <source>Never (Keep Sending)</source>
        <translation>从不（持续发送）</translation>
    </message>
    <message>
        <source>About Rollscope</source>
        <translation>关于 Rollscope</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Rollscope %1&lt;/h3&gt;&lt;p&gt;A desktop dashboard for Kubernetes rolling updates: pods per version, responses per version, and a timeline of every rollout.&lt;/p&gt;&lt;p&gt;Built with Qt %2.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Rollscope %1&lt;/h3&gt;&lt;p&gt;Kubernetes 滚动更新的桌面仪表盘：每个版本的 Pod、每个版本的响应，以及每次滚动更新的时间线。&lt;/p&gt;&lt;p&gt;基于 Qt %2 构建。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open kubeconfig</source>
        <translation>打开 kubeconfig</translation>
    </message>
    <message>
        <source>Reading kubeconfig…</source>
        <translation>正在读取 kubeconfig…</translation>
    </message>
    <message>
        <source>Rollscope cannot use this kubeconfig.</source>
        <translation>Rollscope 无法使用此 kubeconfig。</translation>
    </message>
    <message>
        <source>The changed kubeconfig cannot be read: %1</source>
        <translation>无法读取已更改的 kubeconfig：%1</translation>
    </message>
    <message>
        <source>The kubeconfig cannot be read</source>
        <translation>无法读取 kubeconfig</translation>
    </message>
    <message>
        <source>Server %1, user %2, from %3</source>
        <translation>服务器 %1，用户 %2，来自 %3</translation>
    </message>
    <message>
        <source>Demo cluster (built-in)</source>
        <translation>演示集群（内置）</translation>
    </message>
    <message>
        <source>rollscope-sim, a Kubernetes API simulator running inside Rollscope</source>
        <translation>rollscope-sim，在 Rollscope 内运行的 Kubernetes API 模拟器</translation>
    </message>
    <message>
        <source>The kubeconfig changed on disk and was read again: contexts %1.</source>
        <translation>kubeconfig 在磁盘上已更改并已重新读取：上下文 %1。</translation>
    </message>
    <message>
        <source>Context “%1” is gone</source>
        <translation>上下文“%1”已不存在</translation>
    </message>
    <message>
        <source>The kubeconfig changed on disk and no longer defines this context.</source>
        <translation>kubeconfig 在磁盘上已更改，不再定义此上下文。</translation>
    </message>
    <message>
        <source>Cannot use context “%1”</source>
        <translation>无法使用上下文“%1”</translation>
    </message>
    <message>
        <source>Starting the demo cluster…</source>
        <translation>正在启动演示集群…</translation>
    </message>
    <message>
        <source>The demo cluster could not start</source>
        <translation>演示集群无法启动</translation>
    </message>
    <message>
        <source>Demo cluster</source>
        <translation>演示集群</translation>
    </message>
    <message>
        <source>Choose another context above, or the &lt;b&gt;Demo cluster&lt;/b&gt;.</source>
        <translation>请在上方选择其他上下文，或选择&lt;b&gt;演示集群&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>Export timeline</source>
        <translation>导出时间线</translation>
    </message>
    <message>
        <source>No rollout has been recorded yet. Update an image (or watch a rollout start) and Rollscope records it.</source>
        <translation>还没有记录任何滚动更新。更新镜像（或观察一次滚动更新开始），Rollscope 就会记录下来。</translation>
    </message>
    <message>
        <source>Open timeline</source>
        <translation>打开时间线</translation>
    </message>
    <message>
        <source>Rollscope timelines (*.json *.jsonl)</source>
        <translation>Rollscope 时间线 (*.json *.jsonl)</translation>
    </message>
    <message>
        <source>Rollscope cannot open the timeline “%1”.</source>
        <translation>Rollscope 无法打开时间线“%1”。</translation>
    </message>
    <message>
        <source>This program was built without the demo cluster.</source>
        <translation>此程序构建时未包含演示集群。</translation>
    </message>
</context>
<context>
    <name>rollscope::PodLogViewer</name>
    <message>
        <source>Log lines</source>
        <translation>日志行</translation>
    </message>
    <message>
        <source>Container:</source>
        <translation>容器：</translation>
    </message>
    <message>
        <source>&amp;Follow</source>
        <translation>跟随(&amp;F)</translation>
    </message>
    <message>
        <source>Keep the newest line in view. Scrolling up turns this off.</source>
        <translation>保持显示最新一行。向上滚动会关闭此选项。</translation>
    </message>
    <message>
        <source>&amp;Wrap lines</source>
        <translation>自动换行(&amp;W)</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selection, or every line when nothing is selected</source>
        <translation>复制所选内容；未选择时复制所有行</translation>
    </message>
    <message>
        <source>&amp;Save…</source>
        <translation>保存(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Fetch the log again and follow it</source>
        <translation>重新获取日志并跟随</translation>
    </message>
    <message>
        <source>stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>the log ended (the container stopped or the pod was deleted).</source>
        <translation>日志已结束（容器已停止或 Pod 已被删除）。</translation>
    </message>
    <message>
        <source>the log of %1 ended (the container stopped or the pod was deleted).</source>
        <translation>%1 的日志已结束（容器已停止或 Pod 已被删除）。</translation>
    </message>
    <message>
        <source>Logs — %1</source>
        <translation>日志 — %1</translation>
    </message>
    <message>
        <source>Logs — %1/%2</source>
        <translation>日志 — %1/%2</translation>
    </message>
    <message>
        <source>Ended: %1</source>
        <translation>已结束：%1</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Following new lines.</source>
        <translation>正在跟随新行。</translation>
    </message>
    <message>
        <source>Streaming; new lines are added at the end (Follow is off).</source>
        <translation>正在流式传输；新行追加在末尾（跟随已关闭）。</translation>
    </message>
    <message>
        <source>Showing the newest %1 lines; %2 older lines were dropped.</source>
        <translation>显示最新的 %1 行；已丢弃 %2 行较早的日志。</translation>
    </message>
    <message>
        <source>1 line.</source>
        <translation>1 行。</translation>
    </message>
    <message>
        <source>%1 lines.</source>
        <translation>%1 行。</translation>
    </message>
    <message>
        <source>%1 very long lines were cut (marked “line cut”).</source>
        <translation>%1 个过长的行已被截断（标记为“行已截断”）。</translation>
    </message>
    <message>
        <source>Save logs</source>
        <translation>保存日志</translation>
    </message>
    <message>
        <source>Log files (*.log);;Text files (*.txt);;All files (*)</source>
        <translation>日志文件 (*.log);;文本文件 (*.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <source>Saved %1 lines to %2.</source>
        <translation>已将 %1 行保存到 %2。</translation>
    </message>
</context>
<context>
    <name>rollscope::PodModel</name>
    <message>
        <source>&lt;none&gt;</source>
        <translation>&lt;无&gt;</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>VERSION</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>REPLICASET</source>
        <translation>ReplicaSet</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>RESTARTS</source>
        <translation>重启次数</translation>
    </message>
    <message>
        <source>NODE</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>AGE</source>
        <translation>存在时长</translation>
    </message>
</context>
<context>
    <name>rollscope::PodsChart</name>
    <message>
        <source>Pods per version</source>
        <translation>各版本 Pod 数</translation>
    </message>
    <message>
        <source>seconds since the change</source>
        <translation>自更改起的秒数</translation>
    </message>
    <message>
        <source>pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>At most this many pods: replicas + maxSurge</source>
        <translation>最多这么多 Pod：replicas + maxSurge</translation>
    </message>
    <message>
        <source>At least this many available pods: replicas − maxUnavailable</source>
        <translation>至少这么多可用 Pod：replicas − maxUnavailable</translation>
    </message>
    <message>
        <source>%1 ready</source>
        <translation>%1 就绪</translation>
    </message>
    <message>
        <source>%1 all</source>
        <translation>%1 全部</translation>
    </message>
    <message>
        <source>at most (replicas + maxSurge)</source>
        <translation>最多（replicas + maxSurge）</translation>
    </message>
    <message>
        <source>at least available (replicas − maxUnavailable)</source>
        <translation>至少可用（replicas − maxUnavailable）</translation>
    </message>
    <message>
        <source>solid: ready · dashed: all</source>
        <translation>实线：就绪 · 虚线：全部</translation>
    </message>
    <message>
        <source>Solid lines: the version&apos;s ready pods.
Dashed lines: all pods of the version, ready or not (terminating pods not counted).</source>
        <translation>实线：该版本就绪的 Pod。
虚线：该版本的全部 Pod，无论是否就绪（不含正在终止的 Pod）。</translation>
    </message>
    <message>
        <source>≤ %1 pods (maxSurge)</source>
        <translation>≤ %1 个 Pod（maxSurge）</translation>
    </message>
    <message>
        <source>The strategy allows at most this many pods of all versions together</source>
        <translation>策略允许所有版本的 Pod 合计最多这么多</translation>
    </message>
    <message>
        <source>≥ %1 available (maxUnavailable)</source>
        <translation>≥ %1 个可用（maxUnavailable）</translation>
    </message>
    <message>
        <source>The strategy keeps at least this many pods available</source>
        <translation>策略保持至少这么多 Pod 可用</translation>
    </message>
    <message>
        <source>≤ %1</source>
        <translation>≤ %1</translation>
    </message>
    <message>
        <source>≥ %1</source>
        <translation>≥ %1</translation>
    </message>
</context>
<context>
    <name>rollscope::ProbePanel</name>
    <message>
        <source>Where the requests go. Each request opens a fresh connection, so the Service balances every one of them (a browser&apos;s kept-alive connection always sees one pod).</source>
        <translation>请求发往何处。每个请求都打开新连接，因此 Service 会对每个请求做负载均衡（浏览器的长连接总是只看到一个 Pod）。</translation>
    </message>
    <message>
        <source>http://host:port/ (an Ingress, a port-forward…)</source>
        <translation>http://主机:端口/（Ingress、port-forward…）</translation>
    </message>
    <message>
        <source>Path of every request</source>
        <translation>每个请求的路径</translation>
    </message>
    <message>
        <source> req/s</source>
        <translation> 请求/秒</translation>
    </message>
    <message>
        <source>Requests per second, evenly paced</source>
        <translation>每秒请求数，均匀发送</translation>
    </message>
    <message>
        <source>≤ </source>
        <translation>≤ </translation>
    </message>
    <message>
        <source> in flight</source>
        <translation> 个并发</translation>
    </message>
    <message>
        <source>Most requests in flight at once; requests due beyond it are skipped and counted</source>
        <translation>同时进行的最大请求数；超出时到期的请求会被跳过并计数</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> 毫秒</translation>
    </message>
    <message>
        <source>A request without a complete answer in this time counts as a timeout</source>
        <translation>在此时间内未收到完整应答的请求计为超时</translation>
    </message>
    <message>
        <source>Send traffic</source>
        <translation>发送流量</translation>
    </message>
    <message>
        <source>Custom URL…</source>
        <translation>自定义 URL…</translation>
    </message>
    <message>
        <source>No Service selects these pods: type a URL to probe.</source>
        <translation>没有 Service 选中这些 Pod：请输入要探测的 URL。</translation>
    </message>
    <message>
        <source>Stop traffic</source>
        <translation>停止流量</translation>
    </message>
</context>
<context>
    <name>rollscope::ReplicaSetModel</name>
    <message>
        <source>Also revision %1 before</source>
        <translation>此前也是修订版本 %1</translation>
    </message>
    <message>
        <source>REVISION</source>
        <translation>修订版本</translation>
    </message>
    <message>
        <source>IMAGE</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>DESIRED</source>
        <translation>期望</translation>
    </message>
    <message>
        <source>CURRENT</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>AVAILABLE</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>AGE</source>
        <translation>存在时长</translation>
    </message>
</context>
<context>
    <name>rollscope::ResponsesChart</name>
    <message>
        <source>Responses per version</source>
        <translation>各版本响应数</translation>
    </message>
    <message>
        <source>seconds since the change</source>
        <translation>自更改起的秒数</translation>
    </message>
    <message>
        <source>answers / s</source>
        <translation>应答/秒</translation>
    </message>
    <message>
        <source>failed / s</source>
        <translation>失败/秒</translation>
    </message>
    <message>
        <source>unattributed</source>
        <translation>无法归属</translation>
    </message>
    <message>
        <source>Answers per second from %1</source>
        <translation>来自 %1 的每秒应答数</translation>
    </message>
    <message>
        <source>Requests per second that failed (errors, timeouts)</source>
        <translation>每秒失败的请求数（错误、超时）</translation>
    </message>
</context>
<context>
    <name>rollscope::RevisionHistoryModel</name>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>last good</source>
        <translation>最近正常</translation>
    </message>
    <message>
        <source>&lt;none&gt;</source>
        <translation>&lt;无&gt;</translation>
    </message>
    <message>
        <source>Revision %1 is the current one</source>
        <translation>修订版本 %1 是当前版本</translation>
    </message>
    <message>
        <source>Revision %1 is the last good one: the newest earlier revision whose pods still serve (or served last)</source>
        <translation>修订版本 %1 是最近正常的版本：其 Pod 仍在提供服务（或最后提供过服务）的最新的较早修订版本</translation>
    </message>
    <message>
        <source>Replica set %1</source>
        <translation>ReplicaSet %1</translation>
    </message>
    <message>
        <source>REVISION</source>
        <translation>修订版本</translation>
    </message>
    <message>
        <source>STATE</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>IMAGES</source>
        <translation>镜像</translation>
    </message>
    <message>
        <source>CHANGE-CAUSE</source>
        <translation>变更原因</translation>
    </message>
    <message>
        <source>AGE</source>
        <translation>存在时长</translation>
    </message>
</context>
<context>
    <name>rollscope::RolloutView</name>
    <message>
        <source>Traffic stopped %1 s after the outcome (Traffic ▸ Stop After the Outcome).</source>
        <translation>流量已在出结果 %1 秒后停止（流量 ▸ 出结果后停止）。</translation>
    </message>
    <message>
        <source>&amp;Pods</source>
        <translation>Pod(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;ReplicaSets</source>
        <translation>ReplicaSet(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Events</source>
        <translation>事件(&amp;E)</translation>
    </message>
    <message>
        <source>C&amp;onditions</source>
        <translation>状况(&amp;O)</translation>
    </message>
    <message>
        <source>Show Pods</source>
        <translation>显示 Pod</translation>
    </message>
    <message>
        <source>Show ReplicaSets</source>
        <translation>显示 ReplicaSet</translation>
    </message>
    <message>
        <source>Show Events</source>
        <translation>显示事件</translation>
    </message>
    <message>
        <source>Show Conditions</source>
        <translation>显示状况</translation>
    </message>
    <message>
        <source>Reset Chart &amp;Zoom</source>
        <translation>重置图表缩放(&amp;Z)</translation>
    </message>
    <message>
        <source>Fit the charts to the rollout again (wheel zooms, drag pans, double-click resets)</source>
        <translation>重新让图表适应整个滚动更新（滚轮缩放，拖动平移，双击重置）</translation>
    </message>
    <message>
        <source>Rollscope was closed</source>
        <translation>Rollscope 已关闭</translation>
    </message>
    <message>
        <source>Update &amp;image…</source>
        <translation>更新镜像(&amp;I)…</translation>
    </message>
    <message>
        <source>Roll out a new container image</source>
        <translation>滚动发布新的容器镜像</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause or resume the rollout</source>
        <translation>暂停或恢复滚动更新</translation>
    </message>
    <message>
        <source>Re&amp;start</source>
        <translation>重启(&amp;S)</translation>
    </message>
    <message>
        <source>Replace every pod, following the strategy</source>
        <translation>按照策略替换每个 Pod</translation>
    </message>
    <message>
        <source>Roll &amp;back…</source>
        <translation>回滚(&amp;B)…</translation>
    </message>
    <message>
        <source>Return to an earlier revision</source>
        <translation>返回到较早的修订版本</translation>
    </message>
    <message>
        <source>&amp;Abort</source>
        <translation>中止(&amp;A)</translation>
    </message>
    <message>
        <source>Stop this rollout by rolling back to the previous revision</source>
        <translation>回滚到上一个修订版本以停止此次滚动更新</translation>
    </message>
    <message>
        <source>S&amp;cale…</source>
        <translation>扩缩容(&amp;C)…</translation>
    </message>
    <message>
        <source>Change the number of replicas</source>
        <translation>更改副本数</translation>
    </message>
    <message>
        <source>Start &amp;Traffic</source>
        <translation>开始流量(&amp;T)</translation>
    </message>
    <message>
        <source>Start or stop sending requests to the Service</source>
        <translation>开始或停止向 Service 发送请求</translation>
    </message>
    <message>
        <source>View &amp;YAML…</source>
        <translation>查看 YAML(&amp;Y)…</translation>
    </message>
    <message>
        <source>Show the Deployment as the API stores it (read-only)</source>
        <translation>按 API 存储的样子显示 Deployment（只读）</translation>
    </message>
    <message>
        <source>Pod &amp;Logs…</source>
        <translation>Pod 日志(&amp;L)…</translation>
    </message>
    <message>
        <source>Follow the logs of the pod chosen in the Pods table</source>
        <translation>跟随 Pod 表中所选 Pod 的日志</translation>
    </message>
    <message>
        <source>Another Deployment was selected</source>
        <translation>已选择另一个 Deployment</translation>
    </message>
    <message>
        <source>No Deployment selected</source>
        <translation>未选择 Deployment</translation>
    </message>
    <message>
        <source>%1 &lt;span style=&apos;font-weight:normal&apos;&gt;in %2&lt;/span&gt;</source>
        <translation>%1 &lt;span style=&apos;font-weight:normal&apos;&gt;（命名空间 %2）&lt;/span&gt;</translation>
    </message>
    <message>
        <source>The image was not updated</source>
        <translation>镜像未更新</translation>
    </message>
    <message>
        <source>The rollback failed</source>
        <translation>回滚失败</translation>
    </message>
    <message>
        <source>The rollout was not aborted</source>
        <translation>滚动更新未中止</translation>
    </message>
    <message>
        <source>The Deployment was not restarted</source>
        <translation>Deployment 未重启</translation>
    </message>
    <message>
        <source>The Deployment was not scaled</source>
        <translation>Deployment 未扩缩容</translation>
    </message>
    <message>
        <source>The rollout was not changed</source>
        <translation>滚动更新未更改</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>已删除</translation>
    </message>
    <message>
        <source>Res&amp;ume</source>
        <translation>恢复(&amp;U)</translation>
    </message>
    <message>
        <source>%1 of %2 pods updated and available</source>
        <translation>%2 个 Pod 中 %1 个已更新且可用</translation>
    </message>
    <message>
        <source>%1 of %2 new pods available, nothing changed for %3 s; the rollout fails after %4 s without progress (progressDeadlineSeconds).</source>
        <translation>%2 个新 Pod 中 %1 个可用，已 %3 秒没有变化；无进展 %4 秒后滚动更新失败（progressDeadlineSeconds）。</translation>
    </message>
    <message>
        <source>No progress</source>
        <translation>没有进展</translation>
    </message>
    <message>
        <source>Roll back to revision %1…</source>
        <translation>回滚到修订版本 %1…</translation>
    </message>
    <message>
        <source>Roll back to revision %1 (%2)…</source>
        <translation>回滚到修订版本 %1（%2）…</translation>
    </message>
    <message>
        <source>Return to the last good revision: the newest earlier one whose pods still serve</source>
        <translation>返回最近正常的修订版本：其 Pod 仍在提供服务的最新的较早版本</translation>
    </message>
    <message>
        <source>Roll back %1?</source>
        <translation>回滚 %1？</translation>
    </message>
    <message>
        <source>%1 returns to revision %2 (%3), the last good one; the pods of the current revision are replaced, following the rollout strategy.</source>
        <translation>%1 将返回到修订版本 %2（%3），即最近正常的版本；当前修订版本的 Pod 将按照滚动更新策略被替换。</translation>
    </message>
    <message>
        <source>Roll back</source>
        <translation>回滚</translation>
    </message>
    <message>
        <source>Copy Name</source>
        <translation>复制名称</translation>
    </message>
    <message>
        <source>View YAML…</source>
        <translation>查看 YAML…</translation>
    </message>
    <message>
        <source>Show Logs…</source>
        <translation>显示日志…</translation>
    </message>
    <message>
        <source>Traffic started by itself to measure this change: %1 (Traffic ▸ Start Automatically).</source>
        <translation>为度量此次更改已自动开始发送流量：%1（流量 ▸ 自动开始）。</translation>
    </message>
    <message>
        <source>Scaling of %1 complete</source>
        <translation>%1 扩缩容完成</translation>
    </message>
    <message>
        <source>1 pod ready (%1 s).</source>
        <translation>1 个 Pod 就绪（%1 秒）。</translation>
    </message>
    <message>
        <source>%1 pods ready (%2 s).</source>
        <translation>%1 个 Pod 就绪（%2 秒）。</translation>
    </message>
    <message>
        <source>Rollout of %1 complete</source>
        <translation>%1 滚动更新完成</translation>
    </message>
    <message>
        <source>All %1 pods run the new version (%2 s).</source>
        <translation>全部 %1 个 Pod 都运行新版本（%2 秒）。</translation>
    </message>
    <message>
        <source>Rollout of %1 stopped</source>
        <translation>%1 滚动更新已停止</translation>
    </message>
    <message>
        <source>%1 (after %2 s).</source>
        <translation>%1（%2 秒后）。</translation>
    </message>
    <message>
        <source>Rollout of %1 failed</source>
        <translation>%1 滚动更新失败</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Stop &amp;Traffic</source>
        <translation>停止流量(&amp;T)</translation>
    </message>
    <message>
        <source>Cannot send traffic</source>
        <translation>无法发送流量</translation>
    </message>
    <message>
        <source>unattributed: %1</source>
        <translation>无法归属：%1</translation>
    </message>
    <message>
        <source>failed: &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>失败：&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <source>new version: %1% of the last 5 s</source>
        <translation>新版本：最近 5 秒的 %1%</translation>
    </message>
    <message>
        <source>Restart %1?</source>
        <translation>重启 %1？</translation>
    </message>
    <message>
        <source>Every pod of %1 is replaced by a new one, following the rollout strategy.</source>
        <translation>%1 的每个 Pod 都将按照滚动更新策略被新 Pod 替换。</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>重启</translation>
    </message>
    <message>
        <source>Roll back %1</source>
        <translation>回滚 %1</translation>
    </message>
    <message>
        <source>Choose the revision to return to. &lt;i&gt;current&lt;/i&gt; is the running one; &lt;i&gt;last good&lt;/i&gt; is the newest earlier revision whose pods still serve.</source>
        <translation>选择要返回的修订版本。&lt;i&gt;当前&lt;/i&gt;是正在运行的版本；&lt;i&gt;最近正常&lt;/i&gt;是其 Pod 仍在提供服务的最新的较早修订版本。</translation>
    </message>
    <message>
        <source>Abort the rollout of %1?</source>
        <translation>中止 %1 的滚动更新？</translation>
    </message>
    <message>
        <source>This rolls back to the previous revision, as “kubectl rollout undo” does; the pods of the new version are replaced again.</source>
        <translation>这将回滚到上一个修订版本，与“kubectl rollout undo”相同；新版本的 Pod 会再次被替换。</translation>
    </message>
    <message>
        <source>Abort</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>Scale %1</source>
        <translation>扩缩容 %1</translation>
    </message>
    <message>
        <source>Replicas:</source>
        <translation>副本数：</translation>
    </message>
    <message>
        <source>Scale %1 to 0?</source>
        <translation>将 %1 缩容到 0？</translation>
    </message>
    <message>
        <source>Every pod is stopped; the Service has no endpoint until you scale up again.</source>
        <translation>所有 Pod 都将停止；在再次扩容之前，Service 没有端点。</translation>
    </message>
    <message>
        <source>Scale to 0</source>
        <translation>缩容到 0</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1.&lt;/b&gt; %2</source>
        <extracomment>The outcome banner: its title in bold, then the message.</extracomment>
        <translation>&lt;b&gt;%1。&lt;/b&gt;%2</translation>
    </message>
    <message>
        <source>%1: &lt;b&gt;%2&lt;/b&gt;</source>
        <extracomment>Responses served by one version: its label, then how many.</extracomment>
        <translation>%1：&lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>rollscope::ShortcutsDialog</name>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷键</translation>
    </message>
</context>
<context>
    <name>rollscope::TextFindBar</name>
    <message>
        <source>Find (Ctrl+F)</source>
        <translation>查找（Ctrl+F）</translation>
    </message>
    <message>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <source>Previous</source>
        <translation>上一个</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配（Shift+F3）</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <source>Next match (F3, Enter)</source>
        <translation>下一个匹配（F3、Enter）</translation>
    </message>
    <message>
        <source>10000+ matches</source>
        <translation>10000+ 个匹配</translation>
    </message>
    <message>
        <source>no match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2+</source>
        <translation>第 %1 个，共 %2+ 个</translation>
    </message>
    <message>
        <source>%1+ matches</source>
        <translation>%1+ 个匹配</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 个匹配</translation>
    </message>
    <message>
        <source>%1 matches</source>
        <translation>%1 个匹配</translation>
    </message>
</context>
<context>
    <name>rollscope::TimelineViewer</name>
    <message>
        <source>Rollout of %1/%2 at %3 — Rollscope</source>
        <translation>%1/%2 在 %3 的滚动更新 — Rollscope</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;%1 → %2 · %3 s · %4 requests, %5 failed · at most %6 pods (allowed %7) · at least %8 available (required %9)%10&lt;/p&gt;</source>
        <translation>&lt;p&gt;%1 → %2 · %3 秒 · %4 个请求，%5 个失败 · 最多 %6 个 Pod（允许 %7）· 至少 %8 个可用（要求 %9）%10&lt;/p&gt;</translation>
    </message>
    <message>
        <source> · &lt;i&gt;the recording was cut off&lt;/i&gt;</source>
        <translation> · &lt;i&gt;记录被截断&lt;/i&gt;</translation>
    </message>
    <message>
        <source>t (s)</source>
        <translation>t（秒）</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>导出(&amp;E)…</translation>
    </message>
    <message>
        <source>&amp;Close</source>
        <translation>关闭(&amp;C)</translation>
    </message>
</context>
<context>
    <name>rollscope::UpdateImageDialog</name>
    <message>
        <source>the repository %1 must be lower case (%2)</source>
        <translation>仓库 %1 必须是小写（%2）</translation>
    </message>
    <message>
        <source>the registry %1 may use upper case</source>
        <translation>镜像仓库地址 %1 可以使用大写</translation>
    </message>
    <message>
        <source>the tag %1 is fine</source>
        <translation>标签 %1 没问题</translation>
    </message>
    <message>
        <source>The image reference %1 is invalid: %2.</source>
        <translation>镜像引用 %1 无效：%2。</translation>
    </message>
    <message>
        <source>Update image of %1</source>
        <translation>更新 %1 的镜像</translation>
    </message>
    <message>
        <source>Recorded as kubernetes.io/change-cause (optional)</source>
        <translation>记录为 kubernetes.io/change-cause（可选）</translation>
    </message>
    <message>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Old</source>
        <translation>旧</translation>
    </message>
    <message>
        <source>New</source>
        <translation>新</translation>
    </message>
    <message>
        <source>New ready</source>
        <translation>新版就绪</translation>
    </message>
    <message>
        <source>Pods</source>
        <translation>Pod</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <source>&amp;Container:</source>
        <translation>容器(&amp;C)：</translation>
    </message>
    <message>
        <source>Current image:</source>
        <translation>当前镜像：</translation>
    </message>
    <message>
        <source>&amp;New image:</source>
        <translation>新镜像(&amp;N)：</translation>
    </message>
    <message>
        <source>Change &amp;cause:</source>
        <translation>变更原因(&amp;C)：</translation>
    </message>
    <message>
        <source>&amp;Update</source>
        <translation>更新(&amp;U)</translation>
    </message>
    <message>
        <source>&lt;b&gt;How the rollout will go&lt;/b&gt;</source>
        <translation>&lt;b&gt;滚动更新将如何进行&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Earlier revisions of %1</source>
        <translation>%1 的较早修订版本</translation>
    </message>
    <message>
        <source>Other tags of %1</source>
        <translation>%1 的其他标签</translation>
    </message>
    <message>
        <source>Other images in the cluster</source>
        <translation>集群中的其他镜像</translation>
    </message>
    <message>
        <source>Type the new image.</source>
        <translation>请输入新镜像。</translation>
    </message>
    <message>
        <source>This is the current image; nothing would change.</source>
        <translation>这就是当前镜像；不会有任何变化。</translation>
    </message>
    <message>
        <source>The image changed to %1 as you pressed Enter; check it and press Update again.</source>
        <translation>按下 Enter 时镜像变为 %1；请检查后再次按“更新”。</translation>
    </message>
    <message>
        <source>at once</source>
        <translation>立即</translation>
    </message>
    <message>
        <source>after %1 T</source>
        <translation>%1 T 之后</translation>
    </message>
    <message>
        <source>As soon as the update is applied</source>
        <translation>更新一经应用</translation>
    </message>
    <message>
        <source>After %1 × T, T being the time one new pod takes to become ready</source>
        <translation>%1 × T 之后，T 为一个新 Pod 就绪所需的时间</translation>
    </message>
    <message>
        <source>T is the time one new pod takes to become ready (start-up plus readiness checks); &quot;after 2 T&quot; is two such rounds after the update. At no step are there more than %1 pods or fewer than %2 available.</source>
        <translation>T 为一个新 Pod 就绪所需的时间（启动加就绪检查）；“2 T 之后”即更新后经过两轮这样的时间。任何一步都不会超过 %1 个 Pod，也不会少于 %2 个可用。</translation>
    </message>
</context>
<context>
    <name>rollscope::YamlViewer</name>
    <message>
        <source>%1 — YAML</source>
        <translation>%1 — YAML</translation>
    </message>
    <message>
        <source>YAML of %1</source>
        <translation>%1 的 YAML</translation>
    </message>
    <message>
        <source>Show &amp;managed fields</source>
        <translation>显示托管字段(&amp;M)</translation>
    </message>
    <message>
        <source>metadata.managedFields: which client set which field (hidden by default, as kubectl get -o yaml does)</source>
        <translation>metadata.managedFields：哪个客户端设置了哪个字段（默认隐藏，与 kubectl get -o yaml 相同）</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selection, or the whole YAML when nothing is selected</source>
        <translation>复制所选内容；未选择时复制全部 YAML</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>重新加载(&amp;R)</translation>
    </message>
    <message>
        <source>Not connected to a cluster.</source>
        <translation>未连接到集群。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>%1 does not exist (any more): %2</source>
        <translation>%1 不存在（或已不存在）：%2</translation>
    </message>
    <message>
        <source>You may not read %1: %2</source>
        <translation>你无权读取 %1：%2</translation>
    </message>
    <message>
        <source>%1, resourceVersion %2.</source>
        <translation>%1，resourceVersion %2。</translation>
    </message>
</context>
<context>
    <name>rollscope::kube::CredentialProvider</name>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>the file holds more than one line</source>
        <translation>文件包含多行</translation>
    </message>
    <message>
        <source>Cannot read the token file %1 of user &quot;%2&quot;: %3</source>
        <translation>无法读取用户“%2”的令牌文件 %1：%3</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; has interactiveMode Always: it needs an interactive terminal, which Rollscope does not provide. Log in from a terminal first, or set interactiveMode to IfAvailable or Never.</source>
        <translation>用户“%2”的 exec 插件“%1”的 interactiveMode 为 Always：它需要交互式终端，而 Rollscope 不提供。请先在终端中登录，或将 interactiveMode 设为 IfAvailable 或 Never。</translation>
    </message>
    <message>
        <source>Running the exec plugin &quot;%1&quot; of user &quot;%2&quot; was declined.</source>
        <translation>已拒绝运行用户“%2”的 exec 插件“%1”。</translation>
    </message>
    <message>
        <source>The exec plugin command &quot;%1&quot; of user &quot;%2&quot; was not found in PATH.</source>
        <translation>在 PATH 中找不到用户“%2”的 exec 插件命令“%1”。</translation>
    </message>
    <message>
        <source>The exec plugin command &quot;%1&quot; of user &quot;%2&quot; is a folder, not a program.</source>
        <translation>用户“%2”的 exec 插件命令“%1”是文件夹，不是程序。</translation>
    </message>
    <message>
        <source>The exec plugin command &quot;%1&quot; of user &quot;%2&quot; does not exist.</source>
        <translation>用户“%2”的 exec 插件命令“%1”不存在。</translation>
    </message>
    <message>
        <source>The exec plugin command &quot;%1&quot; of user &quot;%2&quot; is not executable.</source>
        <translation>用户“%2”的 exec 插件命令“%1”不可执行。</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; could not be started: %3</source>
        <translation>用户“%2”的 exec 插件“%1”无法启动：%3</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; did not finish within %3 s and was stopped.</source>
        <translation>用户“%2”的 exec 插件“%1”未在 %3 秒内结束，已被停止。</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; printed more than %3 KiB and was stopped.</source>
        <translation>用户“%2”的 exec 插件“%1”输出超过 %3 KiB，已被停止。</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; crashed.</source>
        <translation>用户“%2”的 exec 插件“%1”崩溃了。</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; failed with exit code %3.</source>
        <translation>用户“%2”的 exec 插件“%1”失败，退出码 %3。</translation>
    </message>
    <message>
        <source>The exec plugin &quot;%1&quot; of user &quot;%2&quot; returned an unusable credential:</source>
        <translation>用户“%2”的 exec 插件“%1”返回了不可用的凭据：</translation>
    </message>
    <message>
        <source>Its error output:</source>
        <translation>其错误输出：</translation>
    </message>
</context>
<context>
    <name>rollscope::rollout::RolloutTracker</name>
    <message>
        <source>Rollout paused</source>
        <translation>滚动更新已暂停</translation>
    </message>
    <message>
        <source>Rollout resumed</source>
        <translation>滚动更新已恢复</translation>
    </message>
    <message>
        <source>Rollout restart requested at %1</source>
        <translation>在 %1 请求了滚动重启</translation>
    </message>
    <message>
        <source>Scaled from %1 to %2 replicas</source>
        <translation>已从 %1 个副本扩缩到 %2 个</translation>
    </message>
    <message>
        <source>%1 is %2</source>
        <translation>%1 为 %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Rolled back to %1: replica set %2, revision %3 is now revision %4</source>
        <translation>已回滚到 %1：ReplicaSet %2 的修订版本 %3 现为修订版本 %4</translation>
    </message>
    <message>
        <source>Scaled up replica set %1 from %2 to %3</source>
        <translation>ReplicaSet %1 从 %2 扩容到 %3</translation>
    </message>
    <message>
        <source>Scaled down replica set %1 from %2 to %3</source>
        <translation>ReplicaSet %1 从 %2 缩容到 %3</translation>
    </message>
    <message>
        <source>Pod %1 scheduled to %2</source>
        <translation>Pod %1 已调度到 %2</translation>
    </message>
    <message>
        <source>Pod %1 started</source>
        <translation>Pod %1 已启动</translation>
    </message>
    <message>
        <source>Pod %1 is ready</source>
        <translation>Pod %1 已就绪</translation>
    </message>
    <message>
        <source>Pod %1 is no longer ready</source>
        <translation>Pod %1 不再就绪</translation>
    </message>
    <message>
        <source>Pod %1 is terminating</source>
        <translation>Pod %1 正在终止</translation>
    </message>
    <message>
        <source>Pod %1 restarted (%2 restarts)</source>
        <translation>Pod %1 已重启（%2 次重启）</translation>
    </message>
    <message>
        <source>%1; container %2 exited: %3 (exit code %4)</source>
        <translation>%1；容器 %2 已退出：%3（退出码 %4）</translation>
    </message>
    <message>
        <source>Pod %1: %2</source>
        <translation>Pod %1：%2</translation>
    </message>
    <message>
        <source>Replica set %1 created for revision %2</source>
        <translation>为修订版本 %2 创建了 ReplicaSet %1</translation>
    </message>
    <message>
        <source>Pod %1 created</source>
        <translation>Pod %1 已创建</translation>
    </message>
    <message>
        <source>Pod %1 is gone</source>
        <translation>Pod %1 已消失</translation>
    </message>
    <message>
        <source>Rollout complete: %1</source>
        <translation>滚动更新完成：%1</translation>
    </message>
    <message>
        <source>Rollout failed (%1): %2</source>
        <translation>滚动更新失败（%1）：%2</translation>
    </message>
    <message>
        <source>Deployment &quot;%1&quot; not found</source>
        <translation>未找到 Deployment“%1”</translation>
    </message>
    <message>
        <source>Deployment &quot;%1&quot; is paused</source>
        <translation>Deployment“%1”已暂停</translation>
    </message>
    <message>
        <source>Waiting for deployment spec update to be observed...</source>
        <translation>等待 Deployment spec 的更新被观察到...</translation>
    </message>
    <message>
        <source>Deployment &quot;%1&quot; exceeded its progress deadline</source>
        <translation>Deployment“%1”超出了其进度期限（progress deadline）</translation>
    </message>
    <message>
        <source>Pod %1 of the new version cannot run: %2</source>
        <translation>新版本的 Pod %1 无法运行：%2</translation>
    </message>
    <message>
        <source>Waiting for rollout to finish: %1 out of %2 new replicas have been updated...</source>
        <translation>等待滚动更新完成：%2 个新副本中已有 %1 个完成更新...</translation>
    </message>
    <message>
        <source>Waiting for rollout to finish: %1 old replicas are pending termination...</source>
        <translation>等待滚动更新完成：%1 个旧副本等待终止...</translation>
    </message>
    <message>
        <source>Waiting for rollout to finish: %1 of %2 updated replicas are available...</source>
        <translation>等待滚动更新完成：%2 个已更新副本中有 %1 个可用...</translation>
    </message>
    <message>
        <source>Deployment &quot;%1&quot; successfully rolled out</source>
        <translation>Deployment“%1”已成功完成滚动更新</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Progressing</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>%1 (rev %2)</source>
        <translation>%1（修订版本 %2）</translation>
    </message>
</context>
</TS>
