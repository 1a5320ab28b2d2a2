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
  // Subscriptions go over a WebSocket at the same URL (graphql-transport-ws); the headers
  // pane's Authorization travels in connection_init's payload.
  const socket = endpoint.replace(/^http/, "ws");

  // GraphiQL's history keeps each run's headers even when headers are not persisted: this
  // storage drops them, so a token typed in the headers pane stays in the tab only.
  const HISTORY = /^graphiql:(queries|favorites)$/;
  function withoutHeaders(key, value) {
    if (!HISTORY.test(key)) return value;
    try {
      const history = JSON.parse(value);
      for (const entry of history.queries || []) delete entry.headers;
      return JSON.stringify(history);
    } catch (notJson) {
      return value;
    }
  }
  const storage = {
    getItem: (key) => localStorage.getItem(key),
    setItem: (key, value) => localStorage.setItem(key, withoutHeaders(key, value)),
    removeItem: (key) => localStorage.removeItem(key),
    get length() {
      return Object.keys(localStorage).filter((key) => key.startsWith("graphiql:")).length;
    },
    clear() {
      for (const key of Object.keys(localStorage)) {
        if (key.startsWith("graphiql:")) localStorage.removeItem(key);
      }
    },
  };

  const graphiql = React.createElement(GraphiQL, {
    storage,
    fetcher: GraphiQL.createFetcher({ url: endpoint, subscriptionUrl: socket }),
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultQuery: DEFAULT_QUERY,
    defaultEditorToolsVisibility: "headers",
    isHeadersEditorEnabled: true,
    // A token typed in the headers pane stays in this tab only, not in localStorage.
    shouldPersistHeaders: false,
    inputValueDeprecation: true,
  });

  ReactDOM.createRoot(document.getElementById("graphiql")).render(graphiql);
})();
