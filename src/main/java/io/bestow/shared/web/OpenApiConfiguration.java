package io.bestow.shared.web;

import io.bestow.shared.ApiError;
import io.bestow.shared.Paging;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.QueryParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.Arrays;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/**
 * Completes the served OpenAPI document with what every endpoint shares: the key-pair authentication, the paging
 * parameters, the {@code Idempotency-Key} header on writes and the error shape.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    private static final String ERROR = "Error";

    @Bean
    OpenAPI bestowOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Bestow API")
                        .version("v1")
                        .description("Customer gifting, rewards and referrals. Errors always have the shape of "
                                + "the Error schema; lists page with limit, page or starting_after.")
                        .license(new License().name("Apache-2.0")))
                .components(new Components()
                        .addSecuritySchemes("appId", header("X-App-Id", "The key pair's public app id"))
                        .addSecuritySchemes("appToken", header("X-App-Token", "The key pair's secret token"))
                        .addSchemas(ERROR, errorSchema()))
                .addSecurityItem(new SecurityRequirement().addList("appId").addList("appToken"));
    }

    @Bean
    OperationCustomizer sharedParameters() {
        return (operation, handler) -> {
            boolean paged =
                    Arrays.stream(handler.getMethodParameters()).anyMatch(p -> p.getParameterType() == Paging.class);
            if (paged) {
                operation
                        .addParametersItem(new QueryParameter()
                                .name("limit")
                                .description("Items per page, 1-" + Paging.MAX_LIMIT)
                                .schema(new IntegerSchema()._default(Paging.DEFAULT_LIMIT)))
                        .addParametersItem(new QueryParameter()
                                .name("page")
                                .description("1-based page number")
                                .schema(new IntegerSchema()._default(1)))
                        .addParametersItem(new QueryParameter()
                                .name("starting_after")
                                .description("Cursor: the id of the last item already seen")
                                .schema(new StringSchema()));
            }
            var method = handler.getMethod();
            boolean write = method.isAnnotationPresent(PostMapping.class)
                    || method.isAnnotationPresent(PutMapping.class)
                    || method.isAnnotationPresent(PatchMapping.class)
                    || method.isAnnotationPresent(DeleteMapping.class);
            if (write) {
                operation.addParametersItem(new HeaderParameter()
                        .name("Idempotency-Key")
                        .description("Makes the write safe to retry: the same key and request replay the first "
                                + "response for 24 hours")
                        .schema(new StringSchema().maxLength(255)));
            }
            var error = new Content()
                    .addMediaType(
                            "application/json",
                            new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + ERROR)));
            operation
                    .getResponses()
                    .addApiResponse(
                            "4XX", new ApiResponse().description("Client error").content(error));
            return operation;
        };
    }

    /** The shape of {@link ApiError} as it goes over the wire. */
    private static Schema<?> errorSchema() {
        return new Schema<>()
                .type("object")
                .description("The one error shape of the API")
                .addProperty("code", new IntegerSchema().description("The HTTP status"))
                .addProperty("key", new StringSchema().description("A stable machine-readable reason"))
                .addProperty("message", new StringSchema().description("What went wrong, for people"))
                .addProperty("details", new Schema<>().description("A sentence, or per-field messages"))
                .addProperty("request_id", new StringSchema().description("The X-Request-Id of the request"));
    }

    private static SecurityScheme header(String name, String description) {
        return new SecurityScheme()
                .type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER)
                .name(name)
                .description(description);
    }
}
