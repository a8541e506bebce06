// Read-only access to one audited subscription: Reader, Key Vault Reader (certificate
// metadata, no secret values), and a custom role holding only the list actions that
// reading app settings and connection strings needs.
targetScope = 'subscription'

param principalId string

var reader = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
var keyVaultReader = '21090545-7ca7-4776-b22c-e363652d74d2'
// Log Analytics Reader: queries the access logs for live-traffic evidence (workspaces/query/read)
// https://learn.microsoft.com/azure/azure-monitor/logs/manage-access#log-analytics-reader
var logAnalyticsReader = '73c42c96-874c-492b-b04d-ab87d138a893'

resource appSettingsReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(subscription().id, 'auditor-app-settings-reader')
  properties: {
    roleName: 'Auditor App Settings Reader (${subscription().subscriptionId})'
    description: 'Lists App Service app settings and connection strings so the auditor can find host names in them. Values are never stored.'
    type: 'CustomRole'
    assignableScopes: [subscription().id]
    permissions: [
      {
        actions: [
          'Microsoft.Web/sites/config/list/action'
          'Microsoft.Web/sites/slots/config/list/action'
        ]
        notActions: []
        dataActions: []
        notDataActions: []
      }
    ]
  }
}

resource readerAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, reader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', reader)
  }
}

resource keyVaultReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, keyVaultReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultReader)
  }
}

resource appSettingsAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, 'auditor-app-settings-reader')
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: appSettingsReader.id
  }
}

resource logAnalyticsReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(subscription().id, principalId, logAnalyticsReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReader)
  }
}
