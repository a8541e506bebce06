// The same read-only roles as modules/roles-subscription.bicep, granted once at a
// management group so every subscription below it is audited.
// Deploy: az deployment mg create -m <mg> -l <region> -f roles-management-group.bicep -p principalId=<id>
targetScope = 'managementGroup'

@description('Principal id of the auditor identity (output identityPrincipalId of main.bicep).')
param principalId string

var reader = 'acdd72a7-3385-48ef-bd42-f606fba81ae7'
var keyVaultReader = '21090545-7ca7-4776-b22c-e363652d74d2'
// Log Analytics Reader: queries the access logs for live-traffic evidence (workspaces/query/read)
// https://learn.microsoft.com/azure/azure-monitor/logs/manage-access#log-analytics-reader
var logAnalyticsReader = '73c42c96-874c-492b-b04d-ab87d138a893'

resource appSettingsReader 'Microsoft.Authorization/roleDefinitions@2022-04-01' = {
  name: guid(managementGroup().id, 'auditor-app-settings-reader')
  properties: {
    roleName: 'Auditor App Settings Reader (${managementGroup().name})'
    description: 'Lists App Service app settings and connection strings so the auditor can find host names in them. Values are never stored.'
    type: 'CustomRole'
    assignableScopes: [managementGroup().id]
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
  name: guid(managementGroup().id, principalId, reader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', reader)
  }
}

resource keyVaultReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, keyVaultReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', keyVaultReader)
  }
}

resource appSettingsAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, 'auditor-app-settings-reader')
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: appSettingsReader.id
  }
}

resource logAnalyticsReaderAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(managementGroup().id, principalId, logAnalyticsReader)
  properties: {
    principalId: principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: tenantResourceId('Microsoft.Authorization/roleDefinitions', logAnalyticsReader)
  }
}
