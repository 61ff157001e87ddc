// The query page's HTML: a shell that loads the GraphiQL bundle from this server only.
export const queryPageHtml = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Nền tảng chính quyền điện tử – GraphQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/graphql/assets/app.css">
</head><body style="margin:0">
<div id="graphiql" style="height:100vh">Đang tải trình soạn truy vấn…</div>
<script type="module" src="/graphql/assets/app.js"></script>
</body></html>`;
