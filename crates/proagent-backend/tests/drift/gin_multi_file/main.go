package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func main() {
	r := gin.Default()
	v1 := r.Group("/api/v1")
	{
		v1.GET("/invoices", listInvoices)
		v1.GET("/invoices/:id", getInvoice)
		v1.POST("/invoices", createInvoice)
	}
	srv := &http.Server{Addr: ":8080", Handler: r, ReadTimeout: 5e9, WriteTimeout: 10e9}
	srv.ListenAndServe()
}

func listInvoices(c *gin.Context) { c.JSON(http.StatusOK, []string{}) }

func getInvoice(c *gin.Context) { c.JSON(http.StatusOK, c.Param("id")) }

func createInvoice(c *gin.Context) { c.JSON(http.StatusCreated, gin.H{}) }
