// Starts GraphiQL on the browser's page of /graphql. A file of its own rather than an inline
// script, so that the page's Content-Security-Policy can allow scripts from the server only.
"use strict";

(function () {
  const DEFAULT_QUERY = `# The issue tracker's GraphQL API.
#
# Without a token you see what anyone may see.
# To act as yourself, add your API token in the
# Headers tab below:
#
#   {"Authorization": "Bearer itk_..."}
#
# \`python server.py create-user\` prints a token;
# so do the login and createApiToken mutations.
#
# Run: Ctrl-Enter or the run button.
# Complete: Ctrl-Space.

{
  issues(first: 5) {
    nodes {
      name
      severity
    }
  }
}
`;

  const endpoint = window.location.origin + window.location.pathname;

  const graphiql = React.createElement(GraphiQL, {
    fetcher: GraphiQL.createFetcher({ url: endpoint }),
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: DEFAULT_QUERY,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    inputValueDeprecation: true,
  });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(graphiql);
})();
